"""The referral lifecycle: allowed moves only, by the right side, attributed and timestamped."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itinera.domain.errors import ConflictError, ValidationError
from itinera.domain.referral import (
    TRANSITIONS,
    Referral,
    ReferralStatus,
    Side,
    apply_transition,
    is_overdue,
    shared_view,
)

S = ReferralStatus
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def _referral(status: ReferralStatus = S.DRAFT) -> Referral:
    return Referral(
        "R-1",
        "C-1",
        1,
        2,
        "child-protection",
        "immediate",
        "alone",
        date(2026, 11, 23),
        ("given_name", "flags"),
        status=status,
    )


def _move(referral: Referral, to: ReferralStatus, side: Side, reason: str = "") -> Referral:
    org = referral.from_organisation_id if side is Side.SENDER else referral.to_organisation_id
    return apply_transition(
        referral, to, side=side, at=NOW, by=f"{side.value}-user", organisation_id=org, reason=reason
    )


def test_the_happy_path_is_recorded_step_by_step() -> None:
    referral = _referral()
    for to, side in [
        (S.SENT, Side.SENDER),
        (S.ACCEPTED, Side.RECEIVER),
        (S.IN_PROGRESS, Side.RECEIVER),
        (S.COMPLETED, Side.RECEIVER),
    ]:
        referral = _move(referral, to, side)
    assert referral.status is S.COMPLETED and referral.version == 5
    assert [(t.from_status, t.to_status, t.by, t.organisation_id) for t in referral.history] == [
        (S.DRAFT, S.SENT, "sender-user", 1),
        (S.SENT, S.ACCEPTED, "receiver-user", 2),
        (S.ACCEPTED, S.IN_PROGRESS, "receiver-user", 2),
        (S.IN_PROGRESS, S.COMPLETED, "receiver-user", 2),
    ]
    assert all(t.at == NOW for t in referral.history)


def test_declining_needs_a_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        _move(_referral(S.SENT), S.DECLINED, Side.RECEIVER, reason="  ")
    assert caught.value.errors[0].field == "reason"
    declined = _move(_referral(S.SENT), S.DECLINED, Side.RECEIVER, reason="no capacity")
    assert declined.history[-1].reason == "no capacity"


def test_the_sender_cannot_accept_its_own_referral() -> None:
    with pytest.raises(ConflictError, match="only the receiver"):
        _move(_referral(S.SENT), S.ACCEPTED, Side.SENDER)


def test_a_completed_referral_cannot_reopen() -> None:
    with pytest.raises(ConflictError, match="'completed' cannot become 'sent'"):
        _move(_referral(S.COMPLETED), S.SENT, Side.SENDER)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(S)), st.sampled_from(list(Side))), max_size=12))
def test_any_sequence_of_requests_only_follows_the_table(steps: list[tuple[S, Side]]) -> None:
    referral = _referral()
    for to, side in steps:
        before = referral
        try:
            referral = _move(referral, to, side, reason="because")
        except ConflictError:
            assert TRANSITIONS.get((before.status, to)) is not side
            assert referral == before
            continue
        assert TRANSITIONS[(before.status, to)] is side
        assert referral.version == before.version + 1
        assert referral.history[:-1] == before.history
    assert len(referral.history) == referral.version - 1


def test_overdue_only_while_open() -> None:
    late = date(2026, 11, 24)
    assert is_overdue(_referral(S.SENT), late)
    assert not is_overdue(_referral(S.SENT), date(2026, 11, 23))
    assert not is_overdue(_referral(S.COMPLETED), late)
    assert not is_overdue(_referral(S.DRAFT), late)


def test_the_receiver_view_holds_only_shared_fields() -> None:
    case = {
        "id": "C-1",
        "given_name": "Amina",
        "family_name": "Testperson",
        "flags": ["x"],
        "contact": "+212 600",
    }
    assert shared_view(case, ("given_name", "flags")) == {
        "id": "C-1",
        "given_name": "Amina",
        "flags": ["x"],
    }
