"""Outcomes of closed tracing requests as anonymised figures per route: counts across
organisations, no record and no name, small cells suppressed like every public figure."""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.tracing_outcomes import OutcomeFigures, outcome_figures
from itinera.services.tracing.context import Tracing
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["route_outcomes"]


def route_outcomes(tr: Tracing, actor: Actor, threshold: int) -> OutcomeFigures:
    """Closed requests by route × outcome, suppressed below ``threshold``."""
    require(actor, Action.VIEW_AGGREGATES)
    with tr.db.transaction() as session:
        counts = TracingRequestRepository(session, tr.cipher).outcome_counts()
    return outcome_figures(counts, threshold)
