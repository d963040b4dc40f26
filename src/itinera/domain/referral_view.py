"""Referrals as a reader sees them (C7): named organisations, the pathway in the reader's
language, and, for one referral, what the reader may do next and the shared case fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from itinera.domain.referral import ReferralStatus, Side, Transition

__all__ = ["OrganisationRef", "ReferralDetail", "ReferralReminder", "ReferralSummary"]


@dataclass(frozen=True)
class OrganisationRef:
    id: int
    name: str


@dataclass(frozen=True)
class ReferralSummary:
    """A referral without personal data or free text, as listed in inboxes and follow-ups."""

    id: str
    case_id: str
    status: ReferralStatus
    pathway: str
    pathway_name: str
    urgency: str
    due_date: date
    overdue: bool
    from_organisation: OrganisationRef
    to_organisation: OrganisationRef
    service_point_id: str | None
    version: int


@dataclass(frozen=True)
class ReferralReminder:
    """A referral that needs chasing, and why: overdue, due-soon or draft-unsent."""

    summary: ReferralSummary
    reminder: str


@dataclass(frozen=True)
class ReferralDetail:
    """One referral as its sender or receiver reads it; ``case`` holds the case number and
    the shared fields only."""

    summary: ReferralSummary
    urgency_rank: int
    reason: str
    shared_fields: tuple[str, ...]
    side: Side
    allowed_transitions: tuple[ReferralStatus, ...]
    history: tuple[Transition, ...]
    case: Mapping[str, Any]
