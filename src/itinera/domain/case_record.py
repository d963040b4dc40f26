"""Case records as they cross the storage boundary, and the inputs of the casework services.

A :class:`CaseRecord` carries the identifying fields only when they were decrypted for the
reader (``None`` otherwise, and after erasure). Service inputs (:class:`NewCase`,
:class:`CaseChanges`, :class:`ConsentStatement`) are plain values: the API and the pages each
convert their own wire or form shape into them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from itinera.domain.case import (
    IDENTIFYING_FIELDS,
    ChildDecision,
    ConsentRecord,
    LegalBasis,
    Purpose,
    Sex,
)

__all__ = [
    "EDITABLE_FIELDS",
    "CaseChanges",
    "CaseFile",
    "CaseRecord",
    "CaseScreening",
    "ConsentStatement",
    "NewCase",
]

EDITABLE_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "sex",
        "date_of_birth",
        "nationality",
        "arrival_place",
        "arrival_date",
        "contact",
        "document_numbers",
        "route_id",
    }
)


@dataclass(frozen=True)
class ConsentStatement:
    """What the person agrees to now, and the legal basis (consent unless another applies)."""

    purposes: tuple[Purpose, ...]
    basis: LegalBasis = LegalBasis.CONSENT
    flags_agreed: tuple[str, ...] = ()  # sensitive flags the person explicitly agrees to share
    child_assent: bool | None = None  # for a child: the child's own assent, stated
    child_decision: ChildDecision | None = None  # for a child: guardian or best interests


@dataclass(frozen=True)
class NewCase:
    """The minimum data of an arrival, as a caseworker registers it."""

    given_name: str
    family_name: str
    sex: Sex
    date_of_birth: date | None
    nationality: str
    arrival_place: str
    arrival_date: date
    consent: ConsentStatement
    contact: str | None = None
    document_numbers: tuple[str, ...] = ()
    route_id: str | None = None


@dataclass(frozen=True)
class CaseChanges:
    """An edit: only the fields named in ``values`` change; ``version`` is the one read."""

    version: int
    values: Mapping[str, Any] = field(default_factory=dict)
    consent: ConsentStatement | None = None

    def __post_init__(self) -> None:
        unknown = set(self.values) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")


@dataclass(frozen=True)
class CaseRecord:
    """One case as stored; identifying fields are ``None`` unless decrypted for this reader."""

    id: str
    organisation_id: int
    version: int
    flags: tuple[str, ...]
    consent: ConsentRecord
    created_by: str
    created_at: datetime
    erased_at: datetime | None
    sex: str
    age_group: str
    nationality: str | None
    arrival_place: str | None
    arrival_date: date | None
    route_id: str | None
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    contact: str | None = None
    document_numbers: tuple[str, ...] | None = None
    decrypted: frozenset[str] = frozenset(IDENTIFYING_FIELDS)

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    def fields(self) -> dict[str, Any]:
        """The case's fields by name (identifying ones only when decrypted), for sharing."""
        clear = ("sex", "age_group", "nationality", "arrival_place", "arrival_date", "route_id")
        named: dict[str, Any] = {"id": self.id, "flags": list(self.flags)}
        named.update({name: getattr(self, name) for name in clear})
        for name in IDENTIFYING_FIELDS:
            if name in self.decrypted:
                value = getattr(self, name)
                named[name] = list(value) if isinstance(value, tuple) else value
        return named


@dataclass(frozen=True)
class CaseScreening:
    """One screening as stored: the answers (``None`` once erased) and what they flagged."""

    id: int
    case_id: str
    questionnaire_version: int
    rules_version: int
    flags: tuple[Mapping[str, Any], ...]  # {code, rules, questions}
    recommendations: tuple[Mapping[str, Any], ...]  # {pathway, urgency, because}
    screened_by: str
    screened_at: datetime
    answers: Mapping[str, Any] | None
    screening_version_id: int | None = None  # the stored rule version (None: before issue 12)


@dataclass(frozen=True)
class CaseFile:
    """A case with its screenings, as a caseworker of its organisation reads it."""

    case: CaseRecord
    screenings: tuple[CaseScreening, ...] = ()
