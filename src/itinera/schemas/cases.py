"""Wire shapes of case records, screenings and referrals (C7, C8): what the API accepts.

Every field has a type and a size limit; unknown fields are refused, so a typo never silently
drops data. Each shape converts itself into the services' domain input (``to_domain``); what
the API answers is in :mod:`itinera.schemas.case_answers`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from itinera.domain.case import ChildDecision, LegalBasis, Purpose, Sex
from itinera.domain.case_record import CaseChanges, ConsentStatement, NewCase
from itinera.domain.referral import ReferralRequest, ReferralStatus
from itinera.domain.screening import Urgency

__all__ = [
    "CaseEdit",
    "CaseIn",
    "ConsentChange",
    "ConsentIn",
    "ReferralIn",
    "ScreeningIn",
    "TransitionIn",
]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
DocumentNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConsentIn(_Strict):
    """What the person agreed to: the purposes, and the legal basis (consent unless another)."""

    purposes: list[Purpose] = Field(min_length=1, max_length=len(Purpose))
    basis: LegalBasis = LegalBasis.CONSENT
    flags_agreed: list[Code] = Field(default_factory=list, max_length=20)
    child_assent: bool | None = None
    child_decision: ChildDecision | None = None

    def to_domain(self) -> ConsentStatement:
        return ConsentStatement(
            tuple(self.purposes),
            self.basis,
            tuple(self.flags_agreed),
            self.child_assent,
            self.child_decision,
        )


class ConsentChange(ConsentIn):
    """The person's consent now: purposes agreed before and not listed are withdrawn."""

    version: int = Field(ge=1, description="the version you read: a stale one answers 409")


class CaseIn(_Strict):
    given_name: Name
    family_name: Name
    sex: Sex
    date_of_birth: date | None = Field(description="YYYY-MM-DD; null when unknown")
    nationality: CountryCode = Field(description="ISO 3166 alpha-3; XXA stateless, XXX unknown")
    arrival_place: ShortText
    arrival_date: date
    consent: ConsentIn
    contact: ShortText | None = None
    document_numbers: list[DocumentNumber] = Field(default_factory=list, max_length=10)
    route_id: Code | None = None

    def to_domain(self) -> NewCase:
        values = self.model_dump(exclude={"consent", "document_numbers"})
        return NewCase(
            **values,
            consent=self.consent.to_domain(),
            document_numbers=tuple(self.document_numbers),
        )


class CaseEdit(_Strict):
    """A change to a case: only the fields sent change. ``version`` is the one you read."""

    version: int = Field(ge=1, description="the version you edited: a stale one answers 409")
    given_name: Name | None = None
    family_name: Name | None = None
    sex: Sex | None = None
    date_of_birth: date | None = None
    nationality: CountryCode | None = None
    arrival_place: ShortText | None = None
    arrival_date: date | None = None
    contact: ShortText | None = None
    document_numbers: list[DocumentNumber] | None = Field(None, max_length=10)
    route_id: Code | None = None
    consent: ConsentIn | None = None

    def to_domain(self) -> CaseChanges:
        """Only the fields sent change (a field sent as null is cleared)."""
        values = self.model_dump(exclude_unset=True, exclude={"version", "consent"})
        if values.get("document_numbers") is not None:
            values["document_numbers"] = tuple(values["document_numbers"])
        consent = self.consent.to_domain() if self.consent is not None else None
        return CaseChanges(self.version, values, consent)


class ScreeningIn(_Strict):
    answers: dict[Annotated[str, StringConstraints(max_length=64)], Any] = Field(max_length=100)


class ReferralIn(_Strict):
    case_id: Annotated[str, StringConstraints(max_length=20)]
    to_organisation_id: int = Field(ge=1)
    service_point_id: Annotated[str, StringConstraints(max_length=64)] | None = None
    pathway: Code
    urgency: Urgency = Urgency.NORMAL
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    due_date: date | None = Field(None, description="default: from the pathway and the urgency")
    shared_fields: list[Code] | None = Field(
        None, max_length=20, description="default: the pathway's; may only narrow it"
    )
    send: bool = Field(True, description="send now; false keeps a draft")

    def to_domain(self) -> ReferralRequest:
        values = self.model_dump(exclude={"shared_fields"})
        shared = None if self.shared_fields is None else tuple(self.shared_fields)
        return ReferralRequest(**values, shared_fields=shared)


class TransitionIn(_Strict):
    to: ReferralStatus
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""
