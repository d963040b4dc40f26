"""Naming the focal points who alone see sensitive complaints (the restricted queue).

Administrators name them but, like everyone else who is not named, cannot read the restricted
queue: naming is audited, and a focal point is a person (an account), never a role.
"""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.services.accounts import users as accounts
from itinera.services.gateway.context import Gateway
from itinera.storage.gateway.focal_point_repository import FocalPointRepository

__all__ = ["list_focal_points", "name_focal_point", "remove_focal_point"]


def _user(gw: Gateway, actor: Actor, username: str) -> tuple[int, int | None]:
    found = next((u for u in accounts.list_users(gw.db, actor) if u.username == username), None)
    if found is None or found.id is None:
        raise NotFoundError(f"no user {username!r}", hint="itinera users list")
    return int(found.id), found.organisation_id


def _user_id(gw: Gateway, actor: Actor, username: str) -> int:
    return _user(gw, actor, username)[0]


def name_focal_point(gw: Gateway, actor: Actor, username: str, *, partner: bool = False) -> bool:
    """Name ``username`` a focal point; False when already named. A ``partner`` focal point
    stands for the user's own organisation: it sees only the complaints about that
    organisation's staff passed to it with the person's consent (IASC referral practice)."""
    require(actor, Action.NAME_GATEWAY_FOCAL_POINTS)
    user_id, organisation_id = _user(gw, actor, username)
    if partner and organisation_id is None:
        raise ValidationError.single("username", "a user of the partner organisation")
    with gw.db.transaction(write=True) as session:
        added = FocalPointRepository(session).add(
            user_id, username, gw.now(), organisation_id if partner else None
        )
        gw.audit(
            session,
            actor,
            action="gateway.focal_point.add",
            entity="user",
            entity_id=str(user_id),
            detail={"partner_organisation": organisation_id} if partner else None,
        )
    return added


def remove_focal_point(gw: Gateway, actor: Actor, username: str) -> bool:
    require(actor, Action.NAME_GATEWAY_FOCAL_POINTS)
    user_id = _user_id(gw, actor, username)
    with gw.db.transaction(write=True) as session:
        removed = FocalPointRepository(session).remove(user_id)
        gw.audit(
            session,
            actor,
            action="gateway.focal_point.remove",
            entity="user",
            entity_id=str(user_id),
        )
    return removed


def list_focal_points(gw: Gateway, actor: Actor) -> list[str]:
    require(actor, Action.NAME_GATEWAY_FOCAL_POINTS)
    with gw.db.transaction() as session:
        return FocalPointRepository(session).usernames()
