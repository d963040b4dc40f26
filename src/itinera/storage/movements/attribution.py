"""How stored figures reached a route (C2): by the route name the publisher gave, or by the
place or country they were reported for. A route report's caveats say which."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.sql import Select

from itinera.storage.database import UnitOfWork
from itinera.storage.movements.tables import observations

__all__ = ["attribution_counts"]


def attribution_counts(
    session: UnitOfWork, route_id: str, first: date, last: date
) -> dict[str, dict[str, int]]:
    """``{indicator: {"route_name": n, "place": m}}`` of the route's current figures whose
    month starts in [first, last] (figures derived from incidents are counted too)."""
    o = observations.c
    how = case((o.route_key.is_(None), "place"), else_="route_name")
    query = (
        select(o.indicator, how.label("how"), func.count())
        .where(
            o.indicator.in_(_stored_indicators()),
            o.route_id == route_id,
            o.period_start >= first,
            o.period_start <= last,
            o.superseded.is_(False),
        )
        .group_by(o.indicator, how)
    )
    counted: dict[str, dict[str, int]] = {}
    for indicator, by, n in session.execute(query):
        counted.setdefault(indicator, {"route_name": 0, "place": 0})[by] = int(n)
    return counted


def _stored_indicators() -> Select[tuple[str | None]]:
    """The distinct indicators stored, by a loose index scan (one index seek per indicator,
    not a scan of every row): with them the period's count seeks the (indicator, route,
    period) index instead of reading all of it — the report's cost no longer grows with the
    store (issue 16)."""
    o = observations.c
    lowest = select(func.min(o.indicator).label("indicator")).cte("stored", recursive=True)
    found = lowest.alias()
    later = observations.alias()
    following = select(func.min(later.c.indicator)).where(later.c.indicator > found.c.indicator)
    lowest = lowest.union_all(
        select(following.scalar_subquery()).where(found.c.indicator.is_not(None))
    )
    return select(lowest.c.indicator).where(lowest.c.indicator.is_not(None))
