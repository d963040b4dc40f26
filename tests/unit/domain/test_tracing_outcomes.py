"""The steps a child's reunification waits for, and outcome figures per route."""

from __future__ import annotations

from datetime import UTC, datetime

from itinera.domain.tracing import Outcome
from itinera.domain.tracing_outcomes import outcome_figures
from itinera.domain.tracing_reunification import (
    BestInterests,
    ReunificationStep,
    StepRecord,
    VerificationMethod,
    missing_steps,
)

VERIFIED, BEST = ReunificationStep.RELATIONSHIP_VERIFIED, ReunificationStep.BEST_INTERESTS


def _step(step: ReunificationStep, finding: str, day: int) -> StepRecord:
    return StepRecord(1, step, finding, None, "reviewer", datetime(2026, 5, day, tzinfo=UTC))


def test_the_latest_best_interests_conclusion_counts() -> None:
    verified = _step(VERIFIED, VerificationMethod.DOCUMENTS.value, 1)
    yes = _step(BEST, BestInterests.IN_BEST_INTERESTS.value, 2)
    later_no = _step(BEST, BestInterests.NOT_IN_BEST_INTERESTS.value, 3)
    assert missing_steps([]) == [VERIFIED, BEST]
    assert missing_steps([verified]) == [BEST]
    assert missing_steps([yes]) == [VERIFIED]
    assert missing_steps([verified, yes]) == []
    assert missing_steps([later_no, verified, yes]) == [BEST]  # by date, not by order given


def test_outcomes_per_route_hide_small_counts_and_what_would_reveal_them() -> None:
    counts = {
        ("central-mediterranean", Outcome.NOT_FOUND): 12,
        ("central-mediterranean", Outcome.FOUND_ALIVE): 3,
        ("central-mediterranean", Outcome.WITHDRAWN): 7,
        (None, Outcome.REUNITED): 9,
    }
    figures = outcome_figures(counts, threshold=5)
    assert figures.routes == ("central-mediterranean", None)
    assert figures.outcomes[0] is Outcome.FOUND_ALIVE and len(figures.outcomes) == len(Outcome)
    row = dict(zip(figures.outcomes, figures.table.cells[0], strict=True))
    assert row[Outcome.FOUND_ALIVE] is None
    hidden = sum(v is None for v in row.values()) + (figures.table.row_totals[0] is None)
    assert hidden >= 2  # the 3 alone could be read back from the route's total
    assert figures.table.cells[1][figures.outcomes.index(Outcome.REUNITED)] == 9


def test_no_closed_request_gives_an_empty_table_with_zero_totals() -> None:
    figures = outcome_figures({}, threshold=5)
    assert figures.routes == () and figures.table.cells == []
    assert figures.table.column_totals == [0] * len(Outcome) and figures.table.total == 0
