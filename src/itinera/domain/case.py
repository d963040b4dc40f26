"""Case records (C8): the minimum data of an arrival, consent, and purpose limitation.

Identifying fields are encrypted field by field at rest (by the storage and service layers);
non-identifying fields stay in clear so that cases can be filtered and counted. Processing a
case for a purpose needs the person's consent to that purpose or another legal basis recorded
for it (ICRC Handbook on Data Protection in Humanitarian Action, ch. 3).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from itinera.domain.errors import FieldError, PermissionDeniedError, ValidationError

__all__ = [
    "CASE_FIELDS",
    "CHILD_AGE_GROUPS",
    "IDENTIFYING_FIELDS",
    "AgeGroup",
    "ChildDecision",
    "ConsentRecord",
    "ConsentRequiredError",
    "LegalBasis",
    "Purpose",
    "Sex",
    "age_group",
    "age_on",
    "new_case_number",
    "require_basis",
    "require_child_consent",
]

IDENTIFYING_FIELDS = ("given_name", "family_name", "date_of_birth", "contact", "document_numbers")
"""Encrypted at rest, each with a context bound to the case id and the field name."""

CLEAR_FIELDS = ("sex", "age_group", "nationality", "arrival_place", "arrival_date", "route_id")

CASE_FIELDS = frozenset({*IDENTIFYING_FIELDS, *CLEAR_FIELDS, "flags"})
"""The fields a referral pathway may list as shared with the receiver."""

_CASE_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class AgeGroup(StrEnum):
    CHILD_0_4 = "0-4"
    CHILD_5_11 = "5-11"
    CHILD_12_17 = "12-17"
    ADULT_18_59 = "18-59"
    OLDER_60 = "60+"
    UNKNOWN = "unknown"


class Purpose(StrEnum):
    REGISTRATION = "registration"
    SCREENING = "screening"
    REFERRAL = "referral"
    FOLLOW_UP = "follow-up"
    TRACING = "tracing"


class LegalBasis(StrEnum):
    CONSENT = "consent"
    VITAL_INTEREST = "vital-interest"  # e.g. an unconscious person, a child at immediate risk
    PUBLIC_INTEREST = "public-interest"
    LEGAL_OBLIGATION = "legal-obligation"


class ConsentRequiredError(PermissionDeniedError):
    """The case may not be processed for this purpose: no consent, no other legal basis."""

    code = "consent_required"


class ChildDecision(StrEnum):
    """Who decided for a child under 18, beside the child's own assent."""

    GUARDIAN = "guardian-consent"  # a parent or legal guardian consented
    BEST_INTERESTS = "best-interests"  # a best-interests determination, no guardian available


@dataclass(frozen=True)
class ConsentRecord:
    """What the person agreed to (or the other legal basis), for which purposes, when, by whom;
    the sensitive flags they explicitly agreed to share in referrals; for a child, the child's
    assent and the guardian's or best-interests decision (never assumed: None until stated)."""

    bases: dict[Purpose, LegalBasis]
    recorded_at: datetime
    recorded_by: str  # the username of the caseworker who recorded it
    note: str = ""
    withdrawn: frozenset[Purpose] = field(default_factory=frozenset)
    flags_agreed: frozenset[str] = field(default_factory=frozenset)
    child_assent: bool | None = None
    child_decision: ChildDecision | None = None

    def basis_for(self, purpose: Purpose) -> LegalBasis | None:
        return None if purpose in self.withdrawn else self.bases.get(purpose)

    def to_data(self) -> dict[str, object]:
        return {
            "bases": {p.value: b.value for p, b in self.bases.items()},
            "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorded_by,
            "note": self.note,
            "withdrawn": sorted(p.value for p in self.withdrawn),
            "flags_agreed": sorted(self.flags_agreed),
            "child_assent": self.child_assent,
            "child_decision": self.child_decision.value if self.child_decision else None,
        }

    @classmethod
    def from_data(cls, data: dict[str, object]) -> ConsentRecord:
        bases = data.get("bases") or {}
        assert isinstance(bases, dict)
        withdrawn = data.get("withdrawn") or []
        assert isinstance(withdrawn, list)
        decision = data.get("child_decision")
        agreed, assent = data.get("flags_agreed") or [], data.get("child_assent")
        assert isinstance(agreed, list)
        return cls(
            bases={Purpose(p): LegalBasis(b) for p, b in bases.items()},
            recorded_at=datetime.fromisoformat(str(data["recorded_at"])),
            recorded_by=str(data["recorded_by"]),
            note=str(data.get("note") or ""),
            withdrawn=frozenset(Purpose(p) for p in withdrawn),
            flags_agreed=frozenset(str(f) for f in agreed),
            child_assent=assent if isinstance(assent, bool) else None,
            child_decision=ChildDecision(str(decision)) if decision else None,
        )


def require_basis(consent: ConsentRecord, purpose: Purpose) -> LegalBasis:
    """Refuse processing for ``purpose`` unless consent or another legal basis covers it."""
    basis = consent.basis_for(purpose)
    if basis is None:
        raise ConsentRequiredError(
            f"no consent or other legal basis recorded for the purpose {purpose.value!r}",
            hint="record the person's consent for this purpose, or the legal basis that applies",
        )
    return basis


def new_case_number(prefix: str = "C") -> str:
    """A pseudonymous, unguessable number such as ``C-7K3M-Q9TX-2B4R``: 60 random bits."""
    chars = "".join(secrets.choice(_CASE_NUMBER_ALPHABET) for _ in range(12))
    return f"{prefix}-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def age_on(date_of_birth: date, day: date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


CHILD_AGE_GROUPS = frozenset({AgeGroup.CHILD_0_4, AgeGroup.CHILD_5_11, AgeGroup.CHILD_12_17})


def require_child_consent(
    child_assent: bool | None, child_decision: ChildDecision | None, age: str
) -> None:
    """For a child under 18 (by ``age``, an age group), consent records the child's own assent
    (yes or no) and the guardian's consent or a best-interests decision: both stated, never
    assumed (UNHCR, Guidelines on Assessing and Determining the Best Interests of the Child)."""
    if age not in CHILD_AGE_GROUPS:
        return
    problems = []
    if child_assent is None:
        problems.append(FieldError("child_assent", "say whether the child assents"))
    if child_decision is None:
        problems.append(
            FieldError("child_decision", "record the guardian's consent or a best-interests one")
        )
    if problems:
        raise ValidationError(problems)


def age_group(date_of_birth: date | None, day: date) -> AgeGroup:
    if date_of_birth is None:
        return AgeGroup.UNKNOWN
    age = age_on(date_of_birth, day)
    for limit, group in (
        (5, AgeGroup.CHILD_0_4),
        (12, AgeGroup.CHILD_5_11),
        (18, AgeGroup.CHILD_12_17),
        (60, AgeGroup.ADULT_18_59),
    ):
        if age < limit:
            return group
    return AgeGroup.OLDER_60
