"""The Digital Gateway's vocabulary (C9): channels, submissions, answers.

A *submission* is anything a person sends: a question, a request for help, feedback, a
complaint, or an interest in tracing a relative. It arrives from the public web form or from a
messaging channel, gets a tracking code (``domain/gateway_codes.py``) and is answered by staff.
The person's text, contact and sender address identify them and are stored encrypted; the
public view of a submission (by its code) shows its status and public answers, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "MAX_CONTACT_LENGTH",
    "MAX_TEXT_LENGTH",
    "OPEN_STATUSES",
    "RESPONSE_HOURS",
    "Answer",
    "Channel",
    "ChannelKind",
    "ComplaintCategory",
    "Intake",
    "NewSubmission",
    "OutboundReply",
    "Priority",
    "PublicStatus",
    "Submission",
    "SubmissionKind",
    "SubmissionStatus",
    "TracingInterest",
    "is_overdue",
    "reply_window_open",
]

MAX_TEXT_LENGTH = 5000
MAX_CONTACT_LENGTH = 200


class SubmissionKind(StrEnum):
    QUESTION = "question"
    REQUEST = "request"
    FEEDBACK = "feedback"
    COMPLAINT = "complaint"
    TRACING = "tracing"  # flagged for the family-tracing team


class SubmissionStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"


class Priority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class ChannelKind(StrEnum):
    WEBHOOK = "webhook"  # SMS gateway, WhatsApp bridge, hotline form: anything that signs
    EMAIL = "email"
    TWILIO = "twilio"  # SMS or WhatsApp through Twilio, signed with X-Twilio-Signature
    META = "meta"  # WhatsApp Business Cloud API, signed with X-Hub-Signature-256


class ComplaintCategory(StrEnum):
    """Complaints that go to the restricted queue (IASC inter-agency SEA referral practice)."""

    SEXUAL_EXPLOITATION_ABUSE = "sexual_exploitation_abuse"
    FRAUD = "fraud"
    STAFF_MISCONDUCT = "staff_misconduct"


class Intake(StrEnum):
    """How a submission reached us."""

    WEB = "web"
    CHANNEL = "channel"


@dataclass(frozen=True)
class Channel:
    id: int
    name: str
    kind: ChannelKind
    created_at: datetime
    outbound: dict[str, str | int] = field(default_factory=dict)
    reply_window_hours: int | None = None


@dataclass(frozen=True)
class OutboundReply:
    """An answer on its way back to the person through the channel they wrote from."""

    channel: str
    to: str
    body: str
    language: str
    tracking_code: str
    template: bool = False  # an approved template, the only reply allowed past the window


def reply_window_open(last_message_at: datetime, now: datetime, window_hours: int | None) -> bool:
    """Whether a free-text reply may still be sent (WhatsApp: 24 h after the last message)."""
    if window_hours is None:
        return True
    return (now - last_message_at).total_seconds() <= window_hours * 3600


@dataclass(frozen=True)
class NewSubmission:
    """What a person sends: checked for length by :meth:`problems`."""

    kind: SubmissionKind
    text: str
    language: str
    contact: str | None = None
    category: ComplaintCategory | None = None
    # a tracing interest goes to the family tracing team only when the person agreed to it
    tracing_consent: bool = False

    @property
    def restricted(self) -> bool:
        """A sensitive complaint goes straight to the focal points' restricted queue."""
        return self.category is not None

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if not self.text.strip():
            found["text"] = "write your message"
        elif len(self.text) > MAX_TEXT_LENGTH:
            found["text"] = f"at most {MAX_TEXT_LENGTH} characters"
        if self.contact is not None and len(self.contact) > MAX_CONTACT_LENGTH:
            found["contact"] = f"at most {MAX_CONTACT_LENGTH} characters"
        return found


@dataclass(frozen=True)
class Answer:
    id: int
    body: str
    language: str
    public: bool  # False: an internal note, never shown to the person
    author: str
    created_at: datetime
    delivery: str | None = None


@dataclass(frozen=True)
class Submission:
    id: int
    tracking_code: str
    kind: SubmissionKind
    status: SubmissionStatus
    language: str
    intake: Intake
    channel: str | None
    text: str
    contact: str | None
    sender: str | None
    flags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    answers: tuple[Answer, ...] = ()
    category: ComplaintCategory | None = None
    restricted: bool = False
    topic: str | None = None
    priority: Priority = Priority.NORMAL
    assigned_to: str | None = None
    merged_into: int | None = None
    passed_to_organisation_id: int | None = None  # a complaint about that organisation's staff


@dataclass(frozen=True)
class PublicStatus:
    """All a tracking code reveals: the status and the answers meant for the person."""

    tracking_code: str
    status: SubmissionStatus
    answers: tuple[Answer, ...]


RESPONSE_HOURS: dict[SubmissionKind, int] = {
    SubmissionKind.REQUEST: 48,
    SubmissionKind.COMPLAINT: 72,
    SubmissionKind.TRACING: 72,
    SubmissionKind.QUESTION: 72,
    SubmissionKind.FEEDBACK: 168,
}
"""Response-time target per kind: past it, an open submission is overdue."""

OPEN_STATUSES = (SubmissionStatus.RECEIVED, SubmissionStatus.IN_PROGRESS)


def is_overdue(submission: Submission, now: datetime) -> bool:
    if submission.status not in OPEN_STATUSES:
        return False
    hours = (now - submission.created_at).total_seconds() / 3600
    return hours > RESPONSE_HOURS[submission.kind]


@dataclass(frozen=True)
class TracingInterest:
    """What the gateway hands to the tracing team when a person agreed to it: where to reply
    and the tracking code that leads back to the person's own words, which stay here."""

    tracking_code: str
    language: str
    contact: str | None
    organisation: str  # name or acronym of the receiving organisation (a setting)
