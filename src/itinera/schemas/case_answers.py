"""What the casework API answers (C7, C8): cases, screenings and the questionnaire.

Documented in ``/openapi.json``; the keys and values are those the API has always answered.
``CaseOut.of`` and ``CaseFileOut.of`` convert the services' domain records at the edge.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from itinera.domain.case import AgeGroup, Sex
from itinera.domain.case_record import CaseFile, CaseRecord, CaseScreening
from itinera.domain.screening_view import LocalisedQuestionnaire, ScreeningReport

__all__ = [
    "CaseFileOut",
    "CaseOut",
    "ConsentOut",
    "QuestionnaireOut",
    "ScreeningOut",
    "StoredScreeningOut",
]


class ConsentOut(BaseModel):
    purposes: list[str] = Field(description="purposes agreed now, sorted")
    withdrawn: list[str] = Field(description="purposes agreed before and withdrawn since")
    bases: dict[str, str] = Field(description="purpose → legal basis, withdrawn ones included")
    recorded_at: str
    recorded_by: str


class _CaseFields(BaseModel):
    id: str = Field(description="case number, e.g. C-7K3M-Q9TX-2B4R")
    organisation_id: int
    version: int = Field(description="send it back with an edit: a stale one answers 409")
    flags: list[str] = Field(description="vulnerability codes of the latest screening")
    consent: ConsentOut
    created_by: str
    created_at: datetime
    erased_at: datetime | None
    sex: Sex
    age_group: AgeGroup
    nationality: str | None
    arrival_place: str | None
    arrival_date: date | None
    route_id: str | None
    given_name: str | None = Field(description="null once erased")
    family_name: str | None
    date_of_birth: date | None
    contact: str | None
    document_numbers: list[str] | None


def _case_fields(case: CaseRecord) -> dict[str, Any]:
    consent = case.consent
    return {
        "id": case.id,
        "organisation_id": case.organisation_id,
        "version": case.version,
        "flags": list(case.flags),
        "consent": ConsentOut(
            purposes=sorted(p.value for p in consent.bases if p not in consent.withdrawn),
            withdrawn=sorted(p.value for p in consent.withdrawn),
            bases={p.value: b.value for p, b in consent.bases.items()},
            recorded_at=consent.recorded_at.isoformat(),
            recorded_by=consent.recorded_by,
        ),
        "created_by": case.created_by,
        "created_at": case.created_at,
        "erased_at": case.erased_at,
        "sex": case.sex,
        "age_group": case.age_group,
        "nationality": case.nationality,
        "arrival_place": case.arrival_place,
        "arrival_date": case.arrival_date,
        "route_id": case.route_id,
        "given_name": case.given_name,
        "family_name": case.family_name,
        "date_of_birth": case.date_of_birth,
        "contact": case.contact,
        "document_numbers": None if case.document_numbers is None else list(case.document_numbers),
    }


class CaseOut(_CaseFields):
    """A case of your organisation, as registered, edited or after a consent change."""

    erased: bool

    @classmethod
    def of(cls, case: CaseRecord) -> CaseOut:
        return cls(**_case_fields(case), erased=case.erased)


class StoredFlagOut(BaseModel):
    code: str
    rules: list[str]
    questions: list[str]


class StoredRecommendationOut(BaseModel):
    pathway: str
    urgency: str
    because: list[str]


class StoredScreeningOut(BaseModel):
    id: int
    case_id: str
    questionnaire_version: int
    rules_version: int
    flags: list[StoredFlagOut]
    recommendations: list[StoredRecommendationOut]
    screened_by: str
    screened_at: datetime
    answers: dict[str, Any] | None = Field(description="null once the case is erased")
    screening_version_id: int | None = Field(
        default=None, description="the screening rules version used (null: before versions)"
    )

    @classmethod
    def of(cls, screening: CaseScreening) -> StoredScreeningOut:
        return cls.model_validate(asdict(screening))


class CaseFileOut(_CaseFields):
    """A case of your organisation with its screenings (the read is audited)."""

    screenings: list[StoredScreeningOut]
    erased: bool

    @classmethod
    def of(cls, file: CaseFile) -> CaseFileOut:
        return cls(
            **_case_fields(file.case),
            screenings=[StoredScreeningOut.of(s) for s in file.screenings],
            erased=file.case.erased,
        )


class TriggerOut(BaseModel):
    question: str
    answer: Any
    question_text: str
    answer_text: str


class FlagOut(BaseModel):
    code: str
    rules: list[str]
    explanations: list[str]
    triggered_by: list[TriggerOut]


class RecommendationOut(BaseModel):
    pathway: str
    name: str
    urgency: str
    because: list[str]
    service_type: str
    shared_fields: list[str]
    due_date: date = Field(description="from the pathway's follow-up days for the urgency")


class ScreeningOut(BaseModel):
    """A screening's result in the reader's language: flags explained, pathways recommended."""

    questionnaire_version: int
    rules_version: int
    flags: list[FlagOut]
    recommendations: list[RecommendationOut]
    id: int
    case_id: str
    screened_at: str
    screened_by: str
    screening_version_id: int | None = None  # the stored rule version used (issue 12)

    @classmethod
    def of(cls, report: ScreeningReport) -> ScreeningOut:
        assert report.screened_at is not None, "a stored screening"
        return cls.model_validate({**asdict(report), "screened_at": report.screened_at.isoformat()})


class ChoiceOut(BaseModel):
    code: str
    text: str


class QuestionOut(BaseModel):
    id: str
    kind: str
    text: str
    choices: list[ChoiceOut]
    minimum: int | float | None
    maximum: int | float | None


class QuestionnaireOut(BaseModel):
    version: int
    questions: list[QuestionOut]

    @classmethod
    def of(cls, questionnaire: LocalisedQuestionnaire) -> QuestionnaireOut:
        return cls.model_validate(asdict(questionnaire))
