"""What a caseworker follows up (C7): referrals sent with their outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itinera.domain.referral_view import ReferralSummary

__all__ = ["SentReferral"]


@dataclass(frozen=True)
class SentReferral:
    """A referral the actor's organisation sent; ``outcome`` is the receiver's note when it
    completed, declined or closed the referral (empty while it is open)."""

    summary: ReferralSummary
    outcome: str
    answered_at: datetime | None
