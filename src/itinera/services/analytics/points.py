"""Dead-and-missing incidents as map points (C3), safe to publish.

Incidents are gathered into grid cells (coordinates rounded to ``PUBLIC_GRID`` degrees for the
public, ``EXACT_GRID`` for analysts): a point is a cell, never one incident's exact spot. For the
public, the cells of the period form a table (cells × routes) whose route margins are the routes'
dead-and-missing totals of the same months; it goes through the same primary and secondary
suppression as every public table, so a count from 1 to threshold − 1 is hidden (the point stays,
marked ``suppressed``) and cannot be recovered from the other points and the route totals.
Residual risk: comparing two different periods (as with every pair of published tables).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.series import Month
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD, suppress_table
from itinera.domain.errors import ValidationError
from itinera.services.analytics.cache import ensure_current
from itinera.services.analytics.figures import indicator_span, parse_month
from itinera.storage.database import Database
from itinera.storage.movements.query_repository import MovementQueryRepository

__all__ = ["EXACT_GRID", "PUBLIC_GRID", "incident_points"]

PUBLIC_GRID = 0.5  # degrees (about 55 km at the equator)
EXACT_GRID = 0.1
NO_ROUTE = ""


def _cell(value: float, grid: float) -> float:
    return round(round(value / grid) * grid, 4)


def _window(first: str | None, last: str | None, db: Database) -> tuple[Month, Month] | None:
    to = parse_month(last, "to")
    if to is None:
        span = indicator_span(db, "dead_and_missing")
        if span is None:
            return None
        to = span[1]
    start = parse_month(first, "from") or to.shift(-11)
    if to < start:
        raise ValidationError.single("to", f"{to} is before {start}")
    return start, to


def incident_points(
    db: Database,
    actor: Actor,
    first: str | None = None,
    last: str | None = None,
    route_id: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of grid cells with their dead and missing (default: the
    12 months up to the last month with dead-and-missing figures)."""
    require(actor, Action.VIEW_AGGREGATES)
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    ensure_current(db)
    window = _window(first, last, db)
    if window is None:
        return {"type": "FeatureCollection", "features": [], "from": None, "to": None}
    start, end = window
    grid = EXACT_GRID if exact else PUBLIC_GRID
    with db.transaction() as session:
        found = MovementQueryRepository(session).incident_points(
            date(start.year, start.month, 1), _month_end(end), route_id
        )
    table: dict[tuple[float, float], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for point in found:
        cell = (_cell(point.lat, grid), _cell(point.lon, grid))
        table[cell][point.route_id or NO_ROUTE] += point.people
    cells = sorted(table)
    routes = sorted({r for c in cells for r in table[c]})
    counts: list[int | None] = [sum(table[c].values()) for c in cells]
    if not exact and cells:
        grid_table = suppress_table(
            [[table[c].get(r, 0) for r in routes] for c in cells], threshold
        )
        counts = grid_table.row_totals
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"dead_and_missing": count, "suppressed": count is None},
        }
        for (lat, lon), count in zip(cells, counts, strict=True)
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "from": start.code,
        "to": end.code,
        "grid_degrees": grid,
        "exact": exact,
        "threshold": None if exact else threshold,
    }


def _month_end(month: Month) -> date:
    following = month.shift(1)
    return date.fromordinal(date(following.year, following.month, 1).toordinal() - 1)
