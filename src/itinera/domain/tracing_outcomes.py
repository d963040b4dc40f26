"""Outcomes of closed tracing requests as anonymised figures per route (C10).

Counts of requests by route × outcome, across organisations, published with their margins and
protected like every public figure: small cells hidden, and enough others that totals cannot
give them back (:func:`itinera.domain.analytics.suppression.suppress_table`). A request counts
once per route among its persons sought; persons travelling no known route count under None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from itinera.domain.analytics.suppression import SuppressedTable, suppress_table
from itinera.domain.tracing import Outcome

__all__ = ["OutcomeFigures", "outcome_figures"]


@dataclass(frozen=True)
class OutcomeFigures:
    routes: tuple[str | None, ...]  # the table's rows, known routes first, sorted
    outcomes: tuple[Outcome, ...]  # its columns, every outcome in a fixed order
    table: SuppressedTable
    threshold: int


def outcome_figures(
    counts: Mapping[tuple[str | None, Outcome], int], threshold: int
) -> OutcomeFigures:
    """The route × outcome table of ``counts`` (missing pairs are zero), suppressed."""
    routes = sorted({route for route, _ in counts}, key=lambda r: (r is None, r or ""))
    outcomes: tuple[Outcome, ...] = tuple(Outcome.__members__.values())
    cells = [[counts.get((route, outcome), 0) for outcome in outcomes] for route in routes]
    if not cells:  # nothing closed yet: no row, zero totals
        empty = SuppressedTable([], [], [0] * len(outcomes), 0, frozenset(), frozenset())
        return OutcomeFigures((), outcomes, empty, threshold)
    table = suppress_table(cells, threshold)
    return OutcomeFigures(tuple(routes), outcomes, table, threshold)
