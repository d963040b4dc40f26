"""Wire shapes of the Digital Gateway (C9): the public intake, tracking answers, the queue.

The public shapes refuse unknown fields and bound every size; a field named ``website`` is a
honeypot the page form hides from people, so a body that fills it is a robot's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from itinera.domain.gateway import (
    MAX_CONTACT_LENGTH,
    MAX_TEXT_LENGTH,
    Answer,
    Channel,
    ComplaintCategory,
    NewSubmission,
    Priority,
    PublicStatus,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from itinera.domain.gateway_codes import display_code
from itinera.domain.places import KnownPlace

__all__ = [
    "AnswerIn",
    "AnswerOut",
    "ChannelOut",
    "FeedbackCountOut",
    "InboundReceiptOut",
    "MergeIn",
    "PassIn",
    "PlaceOut",
    "QueueItemOut",
    "ReceiptOut",
    "SearchMissOut",
    "StaffAnswerOut",
    "SubmissionIn",
    "SubmissionOut",
    "TemplateAnswerIn",
    "TemplateIn",
    "TrackingOut",
    "TriageIn",
]

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmissionIn(_Strict):
    """A question, request, feedback, complaint or tracing interest from a person."""

    kind: SubmissionKind
    text: Text
    language: Language
    contact: Annotated[str, StringConstraints(max_length=MAX_CONTACT_LENGTH)] | None = Field(
        default=None, description="optional: a phone number or e-mail address for replies"
    )
    category: ComplaintCategory | None = Field(
        default=None,
        description="a complaint of sexual exploitation and abuse, fraud or staff misconduct: "
        "seen only by the organisation's named focal points",
    )
    tracing_consent: bool = Field(
        default=False,
        description="tracing: the person agrees that the message goes to the family tracing "
        "team, which then contacts them",
    )

    def to_domain(self) -> NewSubmission:
        contact = self.contact.strip() if self.contact else None
        category = self.category if self.kind is SubmissionKind.COMPLAINT else None
        consent = self.tracing_consent and self.kind is SubmissionKind.TRACING
        return NewSubmission(
            self.kind, self.text, self.language, contact or None, category, consent
        )


class PlaceOut(BaseModel):
    """A place a person may mean, named in their language."""

    id: str
    name: str
    country: str | None
    lat: float
    lon: float

    @classmethod
    def of(cls, place: KnownPlace, language: str) -> PlaceOut:
        return cls(
            id=place.id,
            name=place.name_in(language),
            country=place.country,
            lat=place.lat,
            lon=place.lon,
        )


class ReceiptOut(BaseModel):
    tracking_code: str = Field(description="keep it to read the answer, e.g. 7K3M-Q9TX-2B4R-5Z")


class InboundReceiptOut(ReceiptOut):
    status: SubmissionStatus


class AnswerOut(BaseModel):
    body: str
    language: str
    created_at: datetime

    @classmethod
    def of(cls, answer: Answer) -> AnswerOut:
        return cls(body=answer.body, language=answer.language, created_at=answer.created_at)


class TrackingOut(BaseModel):
    """All a tracking code reveals."""

    tracking_code: str
    status: SubmissionStatus
    answers: list[AnswerOut]

    @classmethod
    def of(cls, found: PublicStatus) -> TrackingOut:
        return cls(
            tracking_code=display_code(found.tracking_code),
            status=found.status,
            answers=[AnswerOut.of(a) for a in found.answers],
        )


class AnswerIn(_Strict):
    body: Text
    language: Language
    public: bool = Field(default=True, description="false: an internal note")


class TriageIn(_Strict):
    topic: Annotated[str, StringConstraints(max_length=64)] | None = None
    priority: Priority = Priority.NORMAL
    assigned_to: Annotated[str, StringConstraints(max_length=64)] | None = None


class TemplateIn(_Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    language: Language
    body: Text
    approved: bool = Field(default=False, description="approved by the provider (WhatsApp)")


class TemplateAnswerIn(_Strict):
    name: Annotated[str, StringConstraints(max_length=64)]
    language: Language
    variables: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")],
        Annotated[str, StringConstraints(max_length=500)],
    ] = Field(default_factory=dict, max_length=20)


class MergeIn(_Strict):
    into: Annotated[str, StringConstraints(max_length=64)] = Field(
        description="the tracking code of the submission this one repeats"
    )


class PassIn(_Strict):
    organisation_id: int = Field(description="the organisation whose staff the complaint is about")
    consent: bool = Field(description="the person agreed that the complaint is passed to it")


class QueueItemOut(BaseModel):
    tracking_code: str
    kind: SubmissionKind
    status: SubmissionStatus
    language: str
    channel: str | None
    flags: list[str]
    created_at: datetime
    overdue: bool
    restricted: bool
    priority: Priority
    topic: str | None
    assigned_to: str | None

    @classmethod
    def of(cls, submission: Submission, *, overdue: bool) -> QueueItemOut:
        return cls(
            tracking_code=display_code(submission.tracking_code),
            kind=submission.kind,
            status=submission.status,
            language=submission.language,
            channel=submission.channel,
            flags=list(submission.flags),
            created_at=submission.created_at,
            overdue=overdue,
            restricted=submission.restricted,
            priority=submission.priority,
            topic=submission.topic,
            assigned_to=submission.assigned_to,
        )


class StaffAnswerOut(AnswerOut):
    public: bool
    author: str

    @classmethod
    def of(cls, answer: Answer) -> StaffAnswerOut:
        return cls(
            body=answer.body,
            language=answer.language,
            created_at=answer.created_at,
            public=answer.public,
            author=answer.author,
        )


class SubmissionOut(QueueItemOut):
    """One submission as staff see it (the read is audited)."""

    text: str
    contact: str | None
    sender: str | None
    answers: list[StaffAnswerOut]

    @classmethod
    def full(cls, submission: Submission, *, overdue: bool) -> SubmissionOut:
        base = QueueItemOut.of(submission, overdue=overdue).model_dump()
        return cls(
            **base,
            text=submission.text,
            contact=submission.contact,
            sender=submission.sender,
            answers=[StaffAnswerOut.of(a) for a in submission.answers],
        )


class FeedbackCountOut(BaseModel):
    month: str
    kind: str
    language: str
    count: int | None = Field(description="null: fewer than 5, suppressed")


class SearchMissOut(BaseModel):
    month: str
    language: str
    route: str | None
    query: str = Field(description="normalised words of the search")
    count: int


class ChannelOut(BaseModel):
    name: str
    kind: str
    created_at: datetime

    @classmethod
    def of(cls, channel: Channel) -> ChannelOut:
        return cls(name=channel.name, kind=channel.kind.value, created_at=channel.created_at)
