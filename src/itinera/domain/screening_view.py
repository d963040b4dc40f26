"""A screening's result and the questionnaire, in the reader's language (C7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
    "ExplainedFlag",
    "LocalisedChoice",
    "LocalisedQuestion",
    "LocalisedQuestionnaire",
    "RecommendedPathway",
    "ScreeningReport",
    "TriggeringAnswer",
]


@dataclass(frozen=True)
class TriggeringAnswer:
    question: str
    answer: Any
    question_text: str
    answer_text: str


@dataclass(frozen=True)
class ExplainedFlag:
    code: str
    rules: tuple[str, ...]
    explanations: tuple[str, ...]
    triggered_by: tuple[TriggeringAnswer, ...]


@dataclass(frozen=True)
class RecommendedPathway:
    pathway: str
    name: str
    urgency: str
    because: tuple[str, ...]
    service_type: str
    shared_fields: tuple[str, ...]
    due_date: date


@dataclass(frozen=True)
class ScreeningReport:
    """What a screening found, explained; ``id`` and the rest are set once it is stored."""

    questionnaire_version: int
    rules_version: int
    flags: tuple[ExplainedFlag, ...]
    recommendations: tuple[RecommendedPathway, ...]
    id: int | None = None
    case_id: str | None = None
    screened_at: datetime | None = None
    screened_by: str | None = None
    screening_version_id: int | None = None  # the rule version used (issue 12)


@dataclass(frozen=True)
class LocalisedChoice:
    code: str
    text: str


@dataclass(frozen=True)
class LocalisedQuestion:
    id: str
    kind: str
    text: str
    choices: tuple[LocalisedChoice, ...]
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True)
class LocalisedQuestionnaire:
    version: int
    questions: tuple[LocalisedQuestion, ...]
