"""Withdrawing the ``referral`` purpose stops every later read and transition of the case's
referrals (issue 10, item 4), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from itinera.domain.case import ChildDecision, ConsentRequiredError, Purpose
from itinera.domain.case_record import ConsentStatement
from itinera.domain.referral import ReferralRequest, ReferralStatus
from itinera.services.casework import cases as case_service
from itinera.services.casework import referrals as referral_service
from itinera.services.casework.consent import change_consent

from .conftest import World, amina

# Amina is a child: consent states her assent and her guardian's consent
CHILD = {"child_assent": True, "child_decision": ChildDecision.GUARDIAN}


def _refer(world: World, case_id: str, *, send: bool) -> str:
    made = referral_service.create_referral(
        world.cw,
        world.worker,
        ReferralRequest(
            case_id=case_id,
            to_organisation_id=world.child_protection,
            pathway="child-protection",
            reason="alone",
            send=send,
        ),
    )
    return made.summary.id


def _withdraw_referral(world: World, case_id: str) -> None:
    case = case_service.get_case(world.cw, world.worker, case_id).case
    change_consent(
        world.cw,
        world.worker,
        case_id,
        case.version,
        ConsentStatement((Purpose.REGISTRATION, Purpose.SCREENING), **CHILD),
    )


def test_a_draft_cannot_be_sent_after_withdrawal(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    draft = _refer(world, case.id, send=False)
    _withdraw_referral(world, case.id)
    with pytest.raises(ConsentRequiredError, match="'referral'"):
        referral_service.transition_referral(world.cw, world.worker, draft, ReferralStatus.SENT)
    closed = referral_service.transition_referral(
        world.cw, world.worker, draft, ReferralStatus.CLOSED, reason="consent withdrawn"
    )
    assert closed.summary.status is ReferralStatus.CLOSED
    assert dict(closed.case) == {"id": case.id}


def test_a_sent_referral_is_neither_readable_nor_acceptable_after_withdrawal(
    world: World,
) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    sent = _refer(world, case.id, send=True)
    seen = referral_service.get_referral(world.cw, world.receiver, sent)
    assert seen.case.get("date_of_birth") is not None  # readable while consent stands
    _withdraw_referral(world, case.id)
    for actor in (world.receiver, world.worker):
        with pytest.raises(ConsentRequiredError):
            referral_service.get_referral(world.cw, actor, sent)
    with pytest.raises(ConsentRequiredError):
        referral_service.transition_referral(
            world.cw, world.receiver, sent, ReferralStatus.ACCEPTED
        )
    declined = referral_service.transition_referral(
        world.cw, world.receiver, sent, ReferralStatus.DECLINED, reason="consent withdrawn"
    )
    assert declined.summary.status is ReferralStatus.DECLINED
    assert set(declined.case) == {"id"}


def test_granting_referral_again_makes_the_referral_readable(world: World) -> None:
    case = case_service.register_case(world.cw, world.worker, amina())
    sent = _refer(world, case.id, send=True)
    _withdraw_referral(world, case.id)
    again = case_service.get_case(world.cw, world.worker, case.id).case
    change_consent(
        world.cw,
        world.worker,
        case.id,
        again.version,
        ConsentStatement((Purpose.REGISTRATION, Purpose.REFERRAL), **CHILD),
    )
    assert referral_service.get_referral(world.cw, world.receiver, sent).case["id"] == case.id
