"""Small edits of a service point from the pages: mark it verified today, change its status.

Both go through :func:`registry.update_point`, so they are checked, versioned (a stale version
is refused with a conflict) and need ``Action.EDIT_SERVICES``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.service_point import PointStatus, ServicePoint
from itinera.services.services_map import registry
from itinera.storage.database import Database
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = ["current_point", "mark_verified", "set_status"]


def current_point(db: Database, point_id: int) -> ServicePoint:
    with db.transaction() as session:
        point = ServicePointRepository(session).get(point_id)
    if point is None:
        raise NotFoundError(f"no service point with id {point_id}")
    return point


def mark_verified(
    db: Database, actor: Actor, point_id: int, version: int | None, *, today: date | None = None
) -> None:
    """Record that ``actor`` re-confirmed the point's details today."""
    require(actor, Action.EDIT_SERVICES)
    point = current_point(db, point_id)
    verified = replace(point, last_verified=today or date.today(), verified_by=actor.username)
    registry.update_point(db, actor, point_id, verified, version)


def set_status(
    db: Database,
    actor: Actor,
    point_id: int,
    status: str,
    version: int | None,
    *,
    today: date | None = None,
) -> None:
    """Change the point's status from today (planned, active, suspended, closed)."""
    require(actor, Action.EDIT_SERVICES)
    try:
        wanted = PointStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in PointStatus)
        raise ValidationError.single("status", f"{status!r} is not one of {choices}") from None
    point = current_point(db, point_id)
    if wanted is point.status:
        return
    changed = replace(point, status=wanted, status_since=today or date.today(), status_until=None)
    registry.update_point(db, actor, point_id, changed, version)
