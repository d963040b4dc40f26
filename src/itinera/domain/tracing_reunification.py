"""The steps a child's reunification waits for (C10).

A confirmed match and the sought person's consent start contact. For a child, reunification
needs two more recorded steps: the family relationship verified (how it was verified), and a
best-interests step whose latest conclusion is that reunification is in the child's best
interests. Until both hold, a request cannot close as *reunited*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "BestInterests",
    "ReunificationStep",
    "StepRecord",
    "VerificationMethod",
    "missing_steps",
]


class ReunificationStep(StrEnum):
    RELATIONSHIP_VERIFIED = "relationship verified"
    BEST_INTERESTS = "best-interests step"


class VerificationMethod(StrEnum):
    DOCUMENTS = "documents"
    SEPARATE_INTERVIEWS = "separate interviews"
    PHOTOGRAPHS = "photographs recognised"
    COMMUNITY = "community confirmation"
    OTHER = "other"


class BestInterests(StrEnum):
    IN_BEST_INTERESTS = "in the child's best interests"
    NOT_IN_BEST_INTERESTS = "not in the child's best interests"
    FURTHER_ASSESSMENT = "further assessment needed"


@dataclass(frozen=True)
class StepRecord:
    """One recorded step: ``finding`` is a :class:`VerificationMethod` or a
    :class:`BestInterests` value; ``note`` is None when not decrypted for the reader."""

    candidate_id: int
    step: ReunificationStep
    finding: str
    note: str | None
    recorded_by: str
    at: datetime


def missing_steps(records: Sequence[StepRecord]) -> list[ReunificationStep]:
    """The steps still missing before a child's reunification (empty: it may proceed). The
    latest best-interests conclusion counts: a later reassessment overrides an earlier one."""
    missing = []
    if not any(r.step is ReunificationStep.RELATIONSHIP_VERIFIED for r in records):
        missing.append(ReunificationStep.RELATIONSHIP_VERIFIED)
    assessments = sorted(
        (r for r in records if r.step is ReunificationStep.BEST_INTERESTS), key=lambda r: r.at
    )
    if not assessments or assessments[-1].finding != BestInterests.IN_BEST_INTERESTS.value:
        missing.append(ReunificationStep.BEST_INTERESTS)
    return missing
