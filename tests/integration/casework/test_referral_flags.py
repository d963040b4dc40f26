"""A referral shares the flags its pathway needs, not every flag (issue 12): the pathways list
them (``shared_flags``), a GBV disclosure is passed on only with the person's explicit
agreement recorded in their consent (``flags_with_agreement``); consent for a child under 18
states the child's assent and the guardian's or best-interests decision, never assumed."""

from __future__ import annotations

import pytest

from itinera.domain.case import ChildDecision, Purpose
from itinera.domain.case_record import ConsentStatement
from itinera.domain.errors import ValidationError
from itinera.services.casework import cases as case_service
from itinera.services.casework import referrals as referral_service
from itinera.services.casework.consent import change_consent
from itinera.services.casework.screening import screen_case

from .conftest import World, amina
from .test_referral_consent import _refer

PURPOSES = (Purpose.REGISTRATION, Purpose.SCREENING, Purpose.REFERRAL)
GUARDIAN = {"child_assent": True, "child_decision": ChildDecision.GUARDIAN}


def _referred_child(world: World) -> tuple[str, str]:
    case = case_service.register_case(world.cw, world.worker, amina())
    answers = {"travelling_with": "alone", "violence_experienced": ["sexual-violence"]}
    screen_case(world.cw, world.worker, case.id, answers)
    flags = set(case_service.get_case(world.cw, world.worker, case.id).case.flags)
    assert {"unaccompanied-separated-child", "gbv-survivor"} <= flags
    return case.id, _refer(world, case.id, send=True)


def _consent(world: World, case_id: str, **statement: object) -> None:
    version = case_service.get_case(world.cw, world.worker, case_id).case.version
    change_consent(
        world.cw, world.worker, case_id, version, ConsentStatement(PURPOSES, **statement)
    )  # type: ignore[arg-type]


def test_a_referral_shares_the_pathways_flags_and_gbv_only_with_agreement(world: World) -> None:
    case_id, referral = _referred_child(world)
    seen = referral_service.get_referral(world.cw, world.receiver, referral).case
    assert seen["flags"] == ["unaccompanied-separated-child"]  # no GBV disclosure
    _consent(world, case_id, flags_agreed=("gbv-survivor",), **GUARDIAN)
    seen = referral_service.get_referral(world.cw, world.receiver, referral).case
    assert sorted(seen["flags"]) == ["gbv-survivor", "unaccompanied-separated-child"]
    _consent(world, case_id, **GUARDIAN)  # agreement taken back: no longer shared
    seen = referral_service.get_referral(world.cw, world.receiver, referral).case
    assert seen["flags"] == ["unaccompanied-separated-child"]


def test_consent_for_a_child_states_assent_and_decision(world: World) -> None:
    case_id, _ = _referred_child(world)
    before = case_service.get_case(world.cw, world.worker, case_id).case
    with pytest.raises(ValidationError) as refused:
        _consent(world, case_id)
    assert [e.field for e in refused.value.errors] == ["child_assent", "child_decision"]
    with pytest.raises(ValidationError):
        _consent(world, case_id, child_assent=False)
    assert case_service.get_case(world.cw, world.worker, case_id).case.version == before.version
    _consent(world, case_id, child_assent=False, child_decision=ChildDecision.BEST_INTERESTS)
    stored = case_service.get_case(world.cw, world.worker, case_id).case.consent
    assert (stored.child_assent, stored.child_decision) == (False, ChildDecision.BEST_INTERESTS)


def test_an_adult_states_no_child_assent(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina(date_of_birth="1990-01-01"))
    _consent(world, case.id)
    stored = case_service.get_case(world.cw, world.worker, case.id).case.consent
    assert (stored.child_assent, stored.child_decision) == (None, None)
