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
    SeparationReason,
    SoughtPerson,
    TracingRequest,
)
from itinera.domain.tracing_outcomes import OutcomeFigures
from itinera.domain.tracing_reunification import BestInterests, VerificationMethod

__all__ = [
    "BestInterestsIn",
    "CandidateOut",
    "ConsentIn",
    "DecisionIn",
    "ExplanationOut",
    "InquirerIn",
    "MatchReportOut",
    "OutcomeFiguresOut",
    "OutcomeIn",
    "RelationshipVerificationIn",
    "RouteOutcomesOut",
    "SoughtIn",
    "SoughtOut",
    "TracingRequestDetailOut",
    "TracingRequestIn",
    "TracingRequestOut",
]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]  # ISO 639-1 or -3
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
RouteId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


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
    languages: list[LanguageCode] = Field(default_factory=list, max_length=10)
    profession: ShortText | None = None
    last_contact_date: date | None = None
    separation_reason: SeparationReason | None = None
    route_id: RouteId | None = Field(None, description="a route of the catalogue (GET /api/routes)")
    distinguishing_info: LongText | None = Field(
        None, description="marks, clothes, circumstances: free text, encrypted at rest"
    )

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
            languages=tuple(self.languages),
            profession=self.profession,
            last_contact_date=self.last_contact_date,
            separation_reason=self.separation_reason,
            route_id=self.route_id,
            distinguishing_info=self.distinguishing_info,
        )


class ConsentIn(_Strict):
    purposes: list[Annotated[str, StringConstraints(max_length=32)]] = Field(max_length=8)


class TracingRequestIn(_Strict):
    inquirer: InquirerIn
    sought: list[SoughtIn] = Field(min_length=1, max_length=20)
    relationship: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
    consent: ConsentIn
    medical_urgency: bool = Field(False, description="a person sought needs medical care")

    def to_domain(self) -> NewTracingRequest:
        return NewTracingRequest(
            inquirer=Inquirer(**self.inquirer.model_dump()),
            sought=tuple(s.to_domain() for s in self.sought),
            relationship=self.relationship,
            purposes=tuple(self.consent.purposes),
            medical_urgency=self.medical_urgency,
        )


class TracingRequestOut(BaseModel):
    id: str
    status: str
    outcome: str | None
    persons: int
    medical_urgency: bool = False
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
            medical_urgency=request.medical_urgency,
            created_at=request.created_at.isoformat(),
            gateway_submission=display_code(request.gateway_submission)
            if request.gateway_submission
            else None,
        )


class SoughtOut(BaseModel):
    """A person sought as the requesting organisation's tracing team reads it (decrypted)."""

    given_name: str
    family_name: str
    name_parts: list[str]
    father_name: str | None
    mother_name: str | None
    sex: str
    birth_year: int | None
    date_of_birth: date | None
    nationality: str
    languages: list[str]
    profession: str | None
    last_seen_place: str | None
    last_seen_date: date | None
    last_contact_date: date | None
    separation_reason: str | None
    route_id: str | None
    distinguishing_info: str | None
    other_spellings: list[str]

    @classmethod
    def of(cls, person: SoughtPerson) -> SoughtOut:
        fields = {name: getattr(person, name) for name in cls.model_fields}
        for name in ("name_parts", "languages", "other_spellings"):
            fields[name] = list(fields[name])
        fields["sex"] = person.sex.value
        reason = person.separation_reason
        fields["separation_reason"] = reason.value if reason else None
        return cls(**fields)


class TracingRequestDetailOut(TracingRequestOut):
    relationship: str
    inquirer: InquirerIn | None
    sought: list[SoughtOut]

    @classmethod
    def of_detail(cls, request: TracingRequest) -> TracingRequestDetailOut:
        inquirer = request.inquirer
        return cls(
            **TracingRequestOut.of(request).model_dump(),
            relationship=request.relationship,
            inquirer=InquirerIn(**vars(inquirer)) if inquirer else None,
            sought=[SoughtOut.of(p) for p in request.sought],
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


Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class RelationshipVerificationIn(_Strict):
    method: VerificationMethod
    note: Note | None = Field(None, description="how it was verified; encrypted at rest")


class BestInterestsIn(_Strict):
    conclusion: BestInterests
    note: Note | None = Field(None, description="the step's reference or summary; encrypted")


class RouteOutcomesOut(BaseModel):
    route_id: str | None = Field(description="None: persons sought on no known route")
    counts: dict[str, int | None] = Field(description="requests per outcome; None: suppressed")
    total: int | None


class OutcomeFiguresOut(BaseModel):
    """Closed tracing requests by route and outcome, anonymised: counts below ``threshold``
    and enough others to stop them being recovered from totals are None."""

    threshold: int
    routes: list[RouteOutcomesOut]
    totals: dict[str, int | None]
    total: int | None

    @classmethod
    def of(cls, figures: OutcomeFigures) -> OutcomeFiguresOut:
        table, names = figures.table, [o.value for o in figures.outcomes]
        return cls(
            threshold=figures.threshold,
            routes=[
                RouteOutcomesOut(route_id=route, counts=dict(zip(names, row, strict=True)), total=t)
                for route, row, t in zip(figures.routes, table.cells, table.row_totals, strict=True)
            ],
            totals=dict(zip(names, table.column_totals, strict=True)),
            total=table.total,
        )


class MatchReportOut(BaseModel):
    persons_sought: int
    registrations: int
    incidents: int
    pairs_scored: int
    new_candidates: int
    model_version: str
    threshold: float
