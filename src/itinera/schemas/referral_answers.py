"""What the referral API answers (C7): summaries for inboxes and follow-ups, one referral in
detail. Documented in ``/openapi.json``; the keys and values are those it has always answered.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from itinera.domain.referral import ReferralStatus, Side, Transition
from itinera.domain.referral_view import ReferralDetail, ReferralReminder, ReferralSummary

__all__ = ["ReferralOut", "ReferralSummaryOut", "ReminderOut", "TransitionOut"]


class OrganisationRefOut(BaseModel):
    id: int
    name: str


class ReferralSummaryOut(BaseModel):
    """A referral without personal data, as listed in the inbox and follow-ups."""

    id: str
    case_id: str
    status: ReferralStatus
    pathway: str
    pathway_name: str
    urgency: str
    due_date: date
    overdue: bool
    from_organisation: OrganisationRefOut
    to_organisation: OrganisationRefOut
    service_point_id: str | None
    version: int

    @classmethod
    def of(cls, summary: ReferralSummary) -> ReferralSummaryOut:
        return cls.model_validate(asdict(summary))


class ReminderOut(ReferralSummaryOut):
    reminder: str = Field(description="overdue, due-soon or draft-unsent")

    @classmethod
    def of_reminder(cls, item: ReferralReminder) -> ReminderOut:
        return cls.model_validate({**asdict(item.summary), "reminder": item.reminder})


class TransitionOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str | None = Field(alias="from")
    to: str
    at: str
    by: str
    organisation_id: int | None
    reason: str

    @classmethod
    def of(cls, step: Transition) -> TransitionOut:
        return cls(
            from_=step.from_status.value if step.from_status else None,
            to=step.to_status.value,
            at=step.at.isoformat(),
            by=step.by,
            organisation_id=step.organisation_id,
            reason=step.reason,
        )


class ReferralOut(ReferralSummaryOut):
    """One referral; a receiver sees the case number and only the fields it shares."""

    urgency_rank: int
    reason: str
    shared_fields: list[str]
    side: Side = Field(description="which side of the referral you are on")
    allowed_transitions: list[ReferralStatus]
    history: list[TransitionOut]
    case: dict[str, Any] = Field(description="the case number and the shared fields only")

    @classmethod
    def of_detail(cls, detail: ReferralDetail) -> ReferralOut:
        return cls.model_validate(
            {
                **asdict(detail.summary),
                "urgency_rank": detail.urgency_rank,
                "reason": detail.reason,
                "shared_fields": list(detail.shared_fields),
                "side": detail.side,
                "allowed_transitions": list(detail.allowed_transitions),
                "history": [TransitionOut.of(step) for step in detail.history],
                "case": dict(detail.case),
            }
        )
