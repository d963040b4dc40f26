"""Restoring family links (C10): tracing requests, the persons sought, candidates, reviews.

Identifying fields (names, spellings, dates of birth, the inquirer's contact) are encrypted at
rest by the storage layer and decrypted only for the reader or for one linkage run. A candidate
is a *possible* link between a sought person and a registration, another request's sought
person, or a dead-and-missing event; it is never disclosed before a person has reviewed it.
A dead-and-missing event is an incident, never an identity.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from itinera.domain.case import Sex

__all__ = [
    "LIKELY_FROM",
    "Band",
    "Candidate",
    "CandidateKind",
    "CandidateStatus",
    "Decision",
    "ExplanationStep",
    "Inquirer",
    "NewTracingRequest",
    "Outcome",
    "RequestStatus",
    "Review",
    "SeparationReason",
    "SoughtPerson",
    "TracingRequest",
    "band_of",
    "new_request_number",
]

LIKELY_FROM = 0.9
"""Probability from which a candidate is shown in the *likely* band (else *possible*)."""

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class CandidateKind(StrEnum):
    REGISTRATION = "registration"
    TRACING_REQUEST = "tracing request"
    DEAD_AND_MISSING_EVENT = "dead-and-missing event"


class Band(StrEnum):
    LIKELY = "likely"
    POSSIBLE = "possible"


class CandidateStatus(StrEnum):
    PENDING = "pending"  # waits in the review queue
    AWAITING_SECOND_REVIEW = "awaiting second review"  # children: two reviewers
    CONFIRMED = "confirmed"
    REJECTED = "rejected"  # remembered: never proposed again
    MORE_INFORMATION = "more information"


class Decision(StrEnum):
    MATCH = "match"
    NOT_A_MATCH = "not a match"
    MORE_INFORMATION = "need more information"


class RequestStatus(StrEnum):
    AWAITING_INTAKE = "awaiting intake"  # from the Digital Gateway: nobody sought recorded yet
    OPEN = "open"
    CONTACT_PENDING_CONSENT = "contact pending consent"
    CONTACT_STARTED = "contact started"
    CLOSED = "closed"


class Outcome(StrEnum):
    FOUND_ALIVE = "found alive"
    DECLINES_CONTACT = "located but declines contact"
    REUNITED = "reunited"
    FOUND_DECEASED = "found deceased"
    NOT_FOUND = "not found"
    WITHDRAWN = "withdrawn"


class SeparationReason(StrEnum):
    """How the family was separated, as tracing services record it (closed list: it is counted
    per route; the circumstances themselves go in the encrypted distinguishing information)."""

    CONFLICT_OR_VIOLENCE = "conflict or violence"
    DURING_THE_JOURNEY = "during the journey"
    DETENTION = "detention"
    PUSHBACK_OR_DEPORTATION = "pushback or deportation"
    SHIPWRECK = "shipwreck"
    DISASTER = "disaster"
    OTHER = "other"


def band_of(probability: float) -> Band:
    return Band.LIKELY if probability >= LIKELY_FROM else Band.POSSIBLE


def new_request_number() -> str:
    """A pseudonymous number such as ``T-7K3M-Q9TX-2B4R`` (60 random bits)."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"T-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


@dataclass(frozen=True)
class Inquirer:
    given_name: str
    family_name: str
    contact: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class SoughtPerson:
    """A person sought, names as given in the script given (``id`` is None before storage)."""

    given_name: str
    family_name: str
    sex: Sex
    nationality: str
    name_parts: tuple[str, ...] = ()
    father_name: str | None = None
    mother_name: str | None = None
    birth_year: int | None = None
    date_of_birth: date | None = None
    last_seen_place: str | None = None
    last_seen_date: date | None = None
    other_spellings: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # ISO 639 codes the person speaks
    profession: str | None = None
    last_contact_date: date | None = None
    separation_reason: SeparationReason | None = None
    route_id: str | None = None  # the catalogue's route the person was travelling
    distinguishing_info: str | None = None  # free text (marks, clothes, circumstances)
    id: int | None = None

    @property
    def year_of_birth(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year

    def is_child(self, today: date) -> bool:
        year = self.year_of_birth
        return year is not None and today.year - year < 18


@dataclass(frozen=True)
class NewTracingRequest:
    inquirer: Inquirer
    sought: tuple[SoughtPerson, ...]
    relationship: str
    purposes: tuple[str, ...]
    medical_urgency: bool = False  # a child sought is urgent by itself (``SoughtPerson.is_child``)


@dataclass(frozen=True)
class TracingRequest:
    id: str
    organisation_id: int
    inquirer: Inquirer | None  # None when not decrypted for the reader
    sought: tuple[SoughtPerson, ...]
    relationship: str
    purposes: tuple[str, ...]
    status: RequestStatus
    outcome: Outcome | None
    created_by: str
    created_at: datetime
    gateway_submission: str | None = None  # tracking code of the gateway submission it came from
    medical_urgency: bool = False


@dataclass(frozen=True)
class ExplanationStep:
    """One comparison's contribution: the level reached and its weight (log2 Bayes factor)."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class Candidate:
    id: int
    person_id: int
    request_id: str
    kind: CandidateKind
    reference: str  # case number, other person's ``T-…/n``, or ``mm:<incident id>``
    organisation_id: int | None  # who holds the candidate record (None for public events)
    probability: float
    explanation: tuple[ExplanationStep, ...]
    model_version: str
    status: CandidateStatus
    child: bool
    reviews: tuple[Review, ...] = field(default=())

    @property
    def band(self) -> Band:
        return band_of(self.probability)


@dataclass(frozen=True)
class Review:
    candidate_id: int
    decision: Decision
    reason: str | None  # None when not decrypted
    reviewer: str
    at: datetime
