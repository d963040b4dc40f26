"""Registering a child (issue 12): the child's assent and the guardian's consent or a
best-interests decision are stated, never assumed; an adult's record carries neither. SQLite
and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from itinera.domain.case import ChildDecision
from itinera.domain.errors import ValidationError
from itinera.services.casework import cases as case_service
from itinera.storage.casework.tables import cases

from .conftest import World, amina


def _count(world: World) -> int:
    with world.cw.db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(cases)).scalar_one())


def test_a_child_without_assent_or_decision_is_not_registered(world: World) -> None:
    child = amina()
    before = _count(world)
    bare = replace(child.consent, child_assent=None, child_decision=None)
    with pytest.raises(ValidationError) as caught:
        case_service.register_case(world.cw, world.worker, replace(child, consent=bare))
    assert {e.field for e in caught.value.errors} == {"child_assent", "child_decision"}
    only_assent = replace(bare, child_assent=True)
    with pytest.raises(ValidationError) as caught:
        case_service.register_case(world.cw, world.worker, replace(child, consent=only_assent))
    assert [e.field for e in caught.value.errors] == ["child_decision"]
    assert _count(world) == before


def test_a_child_is_registered_with_assent_and_a_best_interests_decision(world: World) -> None:
    child = amina()
    stated = replace(child.consent, child_assent=False, child_decision=ChildDecision.BEST_INTERESTS)
    case = case_service.register_case(world.cw, world.worker, replace(child, consent=stated))
    assert case.consent.child_assent is False
    assert case.consent.child_decision is ChildDecision.BEST_INTERESTS


def test_an_adult_needs_neither_and_keeps_neither(world: World) -> None:
    adult = amina(date_of_birth="1990-01-01")
    case = case_service.register_case(world.cw, world.worker, adult)
    assert case.consent.child_assent is None and case.consent.child_decision is None
