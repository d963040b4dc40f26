"""Refused and not-found accesses to a person's record are audited: who tried what (issue
10, item 15), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from itinera.domain.access import Actor, Role
from itinera.domain.errors import NotFoundError, PermissionDeniedError
from itinera.services.casework import cases as case_service
from itinera.services.casework import referrals as referral_service
from itinera.storage.accounts.tables import audit_log

from .conftest import World, amina


def _entries(world: World, entity_id: str) -> list[tuple[str, str, dict[str, str]]]:
    with world.cw.db.transaction() as session:
        rows = session.execute(
            select(audit_log.c.action, audit_log.c.actor_name, audit_log.c.detail)
            .where(audit_log.c.entity_id == entity_id)
            .order_by(audit_log.c.id)
        ).all()
    return [(a, n, d) for a, n, d in rows]


def test_another_organisation_looking_for_a_case_is_audited(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    with pytest.raises(NotFoundError):
        case_service.get_case(world.cw, world.outsider, case.id)
    assert ("case.not_found", world.outsider.username, {"tried": "view"}) in _entries(
        world, case.id
    )
    with pytest.raises(NotFoundError):
        case_service.get_case(world.cw, world.worker, "C-0000-0000-0000")
    assert _entries(world, "C-0000-0000-0000") == [
        ("case.not_found", world.worker.username, {"tried": "view"})
    ]


def test_a_role_refused_a_case_is_audited_and_anonymous_is_not(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    analyst = Actor("ana", frozenset({Role.ANALYST}), 41, world.ngo)
    with pytest.raises(PermissionDeniedError):
        case_service.get_case(world.cw, analyst, case.id)
    assert ("case.refused", "ana", {"tried": "view_case"}) in _entries(world, case.id)
    before = len(_entries(world, case.id))
    with pytest.raises(PermissionDeniedError):
        case_service.get_case(world.cw, Actor("anonymous"), case.id)
    assert len(_entries(world, case.id)) == before


def test_a_referral_looked_for_by_an_outsider_is_audited(world: World) -> None:
    with pytest.raises(NotFoundError):
        referral_service.get_referral(world.cw, world.outsider, "R-0000-0000-0001")
    assert _entries(world, "R-0000-0000-0001") == [
        ("referral.not_found", world.outsider.username, {"tried": "read"})
    ]
