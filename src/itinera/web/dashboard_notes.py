"""What the dashboard pages say about their own figures (issue 12): the period the reader
chose (a GET form that works without script) and, per source, the span of the figures shown
("data as of"), with the sources that stop before the period ends named in a coverage note."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

from itinera.domain.access import Actor
from itinera.domain.analytics.series import Month
from itinera.domain.data_as_of import as_of, short_of
from itinera.services.movements.coverage import source_coverage
from itinera.services.store import Database

__all__ = ["DEFAULT_MONTHS", "chosen_period", "data_as_of"]

DEFAULT_MONTHS = 12


def chosen_period(first: str | None, last: str | None) -> tuple[Month, Month] | None:
    """The months asked in ``?from=YYYY-MM&to=YYYY-MM`` (either alone means twelve months
    from or up to it); None when neither is given. Raises ValueError on a month that is not
    one or a period that starts after it ends."""
    start = Month.parse(first) if first else None
    end = Month.parse(last) if last else None
    if start is None:
        if end is None:
            return None
        start = end.shift(1 - DEFAULT_MONTHS)
    end = end or start.shift(DEFAULT_MONTHS - 1)
    if start > end:
        raise ValueError("the period starts after it ends")
    return start, end


def data_as_of(
    db: Database,
    actor: Actor,
    indicators: Iterable[str],
    first: str | None,
    last: str | None,
    route_id: str | None = None,
) -> dict[str, Any]:
    """For the template: ``sources_as_of`` (each source's span over ``indicators``) and
    ``sources_short`` (those that do not cover the whole period ``first``–``last``)."""
    sources = as_of(source_coverage(db, actor, route_id), indicators)
    if not first or not last:
        return {"sources_as_of": sources, "sources_short": []}
    start, end = Month.parse(first), Month.parse(last)
    first_day = date(start.year, start.month, 1)
    last_day = date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])
    return {"sources_as_of": sources, "sources_short": short_of(sources, first_day, last_day)}
