"""Wire shapes of tracing (C10): the request the API accepts, the candidates it answers.

Names may be in any script; every field has a size limit and unknown fields are refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from itinera.domain.case import Sex
from itinera.domain.gateway_codes import display_code
from itinera.domain.tracing import (
    Inquirer,
    NewTracingRequest,
    Outcome,
    SoughtPerson,
    TracingRequest,
)

__all__ = [
    "CandidateOut",
    "ConsentIn",
    "DecisionIn",
    "ExplanationOut",
    "InquirerIn",
    "MatchReportOut",
    "OutcomeIn",
    "SoughtIn",
    "TracingRequestIn",
    "TracingRequestOut",
]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InquirerIn(_Strict):
    given_name: Name
    family_name: Name
    contact: ShortText | None = None
    language: Annotated[str, StringConstraints(max_length=16)] | None = None


class SoughtIn(_Strict):
    given_name: Name
    family_name: Name
    name_parts: list[Name] = Field(default_factory=list, max_length=12)
    father_name: Name | None = None
    mother_name: Name | None = None
    sex: Sex
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    date_of_birth: date | None = None
    nationality: CountryCode
    last_seen_place: ShortText | None = None
    last_seen_date: date | None = None
    other_spellings: list[Name] = Field(default_factory=list, max_length=20)

    def to_domain(self) -> SoughtPerson:
        return SoughtPerson(
            given_name=self.given_name,
            family_name=self.family_name,
            sex=self.sex,
            nationality=self.nationality,
            name_parts=tuple(self.name_parts),
            father_name=self.father_name,
            mother_name=self.mother_name,
            birth_year=self.birth_year,
            date_of_birth=self.date_of_birth,
            last_seen_place=self.last_seen_place,
            last_seen_date=self.last_seen_date,
            other_spellings=tuple(self.other_spellings),
        )


class ConsentIn(_Strict):
    purposes: list[Annotated[str, StringConstraints(max_length=32)]] = Field(max_length=8)


class TracingRequestIn(_Strict):
    inquirer: InquirerIn
    sought: list[SoughtIn] = Field(min_length=1, max_length=20)
    relationship: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
    consent: ConsentIn

    def to_domain(self) -> NewTracingRequest:
        return NewTracingRequest(
            inquirer=Inquirer(**self.inquirer.model_dump()),
            sought=tuple(s.to_domain() for s in self.sought),
            relationship=self.relationship,
            purposes=tuple(self.consent.purposes),
        )


class TracingRequestOut(BaseModel):
    id: str
    status: str
    outcome: str | None
    persons: int
    created_at: str
    gateway_submission: str | None = Field(
        None, description="tracking code of the gateway submission it came from (its own words)"
    )

    @classmethod
    def of(cls, request: TracingRequest) -> TracingRequestOut:
        return cls(
            id=request.id,
            status=request.status.value,
            outcome=request.outcome.value if request.outcome else None,
            persons=len(request.sought),
            created_at=request.created_at.isoformat(),
            gateway_submission=display_code(request.gateway_submission)
            if request.gateway_submission
            else None,
        )


class ExplanationOut(BaseModel):
    comparison: str
    level: str
    weight: float


class CandidateOut(BaseModel):
    id: int
    kind: str
    probability: float = Field(ge=0, le=1)
    band: str
    reference: str | None
    notice: str | None
    status: str
    model_version: str
    explanation: list[ExplanationOut]


class DecisionIn(_Strict):
    decision: Annotated[
        str, StringConstraints(pattern="^(match|not a match|need more information)$")
    ]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class OutcomeIn(_Strict):
    outcome: Outcome


class MatchReportOut(BaseModel):
    persons_sought: int
    registrations: int
    incidents: int
    pairs_scored: int
    new_candidates: int
    model_version: str
    threshold: float
