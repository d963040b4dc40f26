"""Referrals across organisations (C7): the lifecycle and need-to-know sharing.

    draft → sent → accepted → in_progress → completed
                 ↘ declined (with a reason)
    any open state → closed (by the sender: withdrawn; by the receiver once accepted)

Each transition belongs to one side: the sending organisation sends and closes, the receiving
organisation accepts, declines, starts and completes (Primero's signal "unauthorized transition
update" is the bug this prevents). Every transition is timestamped and attributed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from itinera.domain.errors import ConflictError, ValidationError
from itinera.domain.screening import Urgency

__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Referral",
    "ReferralRequest",
    "ReferralStatus",
    "Side",
    "Transition",
    "apply_transition",
    "is_overdue",
    "shared_view",
]


class ReferralStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"


class Side(StrEnum):
    SENDER = "sender"
    RECEIVER = "receiver"


@dataclass(frozen=True)
class ReferralRequest:
    """A caseworker's request to refer a case; defaults come from the pathway."""

    case_id: str
    to_organisation_id: int
    pathway: str
    reason: str
    urgency: Urgency = Urgency.NORMAL
    service_point_id: str | None = None
    due_date: date | None = None  # default: from the pathway and the urgency
    shared_fields: tuple[str, ...] | None = None  # default: the pathway's; may only narrow it
    send: bool = True  # False keeps a draft


S = ReferralStatus
TRANSITIONS: dict[tuple[ReferralStatus, ReferralStatus], Side] = {
    (S.DRAFT, S.SENT): Side.SENDER,
    (S.DRAFT, S.CLOSED): Side.SENDER,
    (S.SENT, S.ACCEPTED): Side.RECEIVER,
    (S.SENT, S.DECLINED): Side.RECEIVER,
    (S.SENT, S.CLOSED): Side.SENDER,
    (S.ACCEPTED, S.IN_PROGRESS): Side.RECEIVER,
    (S.ACCEPTED, S.CLOSED): Side.RECEIVER,
    (S.IN_PROGRESS, S.COMPLETED): Side.RECEIVER,
    (S.IN_PROGRESS, S.CLOSED): Side.RECEIVER,
}
"""(from, to) → the side allowed to make the move. Anything else is refused."""

OPEN_STATUSES = frozenset({S.SENT, S.ACCEPTED, S.IN_PROGRESS})
"""Statuses in which the receiver still owes an answer or a result: followed up when late."""

REASON_REQUIRED = frozenset({S.DECLINED, S.CLOSED})
MAX_REASON = 2000


@dataclass(frozen=True)
class Transition:
    from_status: ReferralStatus | None  # None for the creation
    to_status: ReferralStatus
    at: datetime
    by: str  # username
    organisation_id: int | None
    reason: str = ""


@dataclass(frozen=True)
class Referral:
    id: str
    case_id: str
    from_organisation_id: int
    to_organisation_id: int
    pathway: str
    urgency: str
    reason: str
    due_date: date
    shared_fields: tuple[str, ...]
    status: ReferralStatus = ReferralStatus.DRAFT
    service_point_id: str | None = None
    version: int = 1
    history: tuple[Transition, ...] = field(default_factory=tuple)

    def side_of(self, organisation_id: int | None) -> Side | None:
        if organisation_id == self.from_organisation_id:
            return Side.SENDER
        if organisation_id == self.to_organisation_id:
            return Side.RECEIVER
        return None


def allowed_next(status: ReferralStatus, side: Side) -> list[ReferralStatus]:
    return [to for (frm, to), who in TRANSITIONS.items() if frm == status and who == side]


def apply_transition(
    referral: Referral,
    to_status: ReferralStatus,
    *,
    side: Side,
    at: datetime,
    by: str,
    organisation_id: int | None,
    reason: str = "",
) -> Referral:
    """Move ``referral`` to ``to_status``; refuse moves the lifecycle or the side does not allow."""
    reason = reason.strip()
    who = TRANSITIONS.get((referral.status, to_status))
    if who is None:
        allowed = ", ".join(s.value for s in allowed_next(referral.status, side)) or "none"
        raise ConflictError(
            f"a referral that is {referral.status.value!r} cannot become {to_status.value!r}",
            hint=f"allowed next statuses for the {side.value}: {allowed}",
        )
    if who is not side:
        raise ConflictError(
            f"only the {who.value} may move a referral from {referral.status.value!r} to "
            f"{to_status.value!r}"
        )
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError.single(
            "reason", f"a reason is required to mark it {to_status.value!r}"
        )
    if len(reason) > MAX_REASON:
        raise ValidationError.single("reason", f"at most {MAX_REASON} characters")
    step = Transition(referral.status, to_status, at, by, organisation_id, reason)
    return replace(
        referral,
        status=to_status,
        version=referral.version + 1,
        history=(*referral.history, step),
    )


def is_overdue(referral: Referral, today: date) -> bool:
    return referral.status in OPEN_STATUSES and referral.due_date < today


def shared_view(case_fields: Mapping[str, Any], shared: Iterable[str]) -> dict[str, Any]:
    """What the receiver sees of a case: the case number and only the shared fields."""
    wanted = set(shared)
    view = {name: value for name, value in case_fields.items() if name in wanted}
    view["id"] = case_fields["id"]
    return view
