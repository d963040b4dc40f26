"""Outcomes of closed tracing requests as anonymised figures per route: counts across
organisations, no record and no name, small cells suppressed like every public figure."""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.tracing_outcomes import OutcomeFigures, outcome_figures
from itinera.storage.database import Database
from itinera.storage.tracing.request_repository import outcome_counts

__all__ = ["outcomes_of_route", "route_outcomes"]


def route_outcomes(db: Database, actor: Actor, threshold: int) -> OutcomeFigures:
    """Closed requests by route × outcome, suppressed below ``threshold``."""
    require(actor, Action.VIEW_AGGREGATES)
    with db.transaction() as session:
        counts = outcome_counts(session)
    return outcome_figures(counts, threshold)


def outcomes_of_route(
    db: Database, actor: Actor, route_id: str, threshold: int
) -> list[tuple[str, int | None]]:
    """One route's row of the published table, (outcome, count or None when suppressed); empty
    when no closed request names the route. Suppressed with the whole table, as the API is."""
    figures = route_outcomes(db, actor, threshold)
    if route_id not in figures.routes:
        return []
    row = figures.table.cells[figures.routes.index(route_id)]
    return [(o.value, n) for o, n in zip(figures.outcomes, row, strict=True)]
