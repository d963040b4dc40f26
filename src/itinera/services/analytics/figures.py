"""Monthly figures per route from the cube, with the preferred-source rule applied (C3).

For each route, indicator and month, several sources may give a figure. The headline is the
figure of the first source in the indicator's ``preferred_sources`` that has one, else of the
alphabetically first source; the others stay visible as alternatives (the discrepancy). Within
one source, figures of the current (not superseded) batches are summed: the publishers' layouts
Itinera reads give each count once (by country, nationality, sex or age group), never a total
next to its parts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from itinera.domain.analytics.series import Month
from itinera.domain.errors import ValidationError
from itinera.services.analytics.cache import ensure_current
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.database import Database

__all__ = [
    "SourcedFigures",
    "choose_source",
    "ensure_current",
    "indicator_span",
    "load_figures",
    "parse_month",
]


def parse_month(text: str | None, field_name: str) -> Month | None:
    if text is None or text == "":
        return None
    try:
        return Month.parse(text)
    except ValueError as error:
        raise ValidationError.single(field_name, str(error)) from None


def choose_source(values: dict[str, float], preferred: Iterable[str]) -> str:
    for source in preferred:
        if source in values:
            return source
    return sorted(values)[0]


@dataclass
class SourcedFigures:
    """One indicator for some routes: headline per month and category, and where it came from."""

    indicator: str
    unit: str
    # route -> category -> month -> value ("" is the total or an unknown category)
    values: dict[str, dict[str, dict[Month, float]]] = field(default_factory=dict)
    # route -> month -> (headline source, its batches, {other source: value})
    provenance: dict[str, dict[Month, tuple[str, list[int], dict[str, float]]]] = field(
        default_factory=dict
    )

    def series(self, route: str, category: str = "") -> dict[Month, float]:
        return self.values.get(route, {}).get(category, {})

    def totals(self, route: str) -> dict[Month, float]:
        """Each month summed over categories (the route's total for that indicator)."""
        result: dict[Month, float] = defaultdict(float)
        for by_month in self.values.get(route, {}).values():
            for month, value in by_month.items():
                result[month] += value
        return dict(result)


def load_figures(
    db: Database,
    indicator: str,
    routes: list[str],
    dimension: str = "total",
    first: Month | None = None,
    last: Month | None = None,
) -> SourcedFigures:
    dictionary = indicator_dictionary()
    if indicator not in dictionary:
        known = ", ".join(sorted(dictionary.indicators))
        raise ValidationError.single("indicator", f"unknown indicator {indicator!r} ({known})")
    definition = dictionary[indicator]
    ensure_current(db, breakdowns=dimension != "total")
    with db.transaction() as session:
        rows, batches = CubeRepository(session).read(
            indicator, routes, dimension, _day(first), _day(last)
        )
    # route -> month -> source -> category -> value (already summed over batches in SQL)
    by_source: dict[str, dict[Month, dict[str, dict[str, float]]]] = {}
    for route, source, month, category, value in rows:
        months = by_source.get(route)
        if months is None:
            months = by_source[route] = {}
        sources = months.get(month)
        if sources is None:
            sources = months[month] = {}
        categories = sources.get(source)
        if categories is None:
            categories = sources[source] = {}
        categories[category] = categories.get(category, 0.0) + value
    result = SourcedFigures(indicator, definition.unit.value)
    preferred = definition.preferred_sources
    for route, months in by_source.items():
        values: dict[str, dict[Month, float]] = {}
        provenance = {}
        for month, sources in months.items():
            sums = {s: sum(c.values()) for s, c in sources.items()}
            chosen = choose_source(sums, preferred)
            for category, value in sources[chosen].items():
                by_month = values.get(category)
                if by_month is None:
                    by_month = values[category] = {}
                by_month[month] = value
            others = {s: v for s, v in sums.items() if s != chosen}
            provenance[month] = (chosen, sorted(batches.get((route, chosen, month), ())), others)
        result.values[route] = values
        result.provenance[route] = provenance
    return result


def indicator_span(db: Database, indicator: str) -> tuple[Month, Month] | None:
    """The first and last month any route has a figure for ``indicator``."""
    ensure_current(db)
    with db.transaction() as session:
        span = CubeRepository(session).month_span(indicator)
    if span is None:
        return None
    return Month(span[0].year, span[0].month), Month(span[1].year, span[1].month)


def _day(month: Month | None) -> date | None:
    return None if month is None else date(month.year, month.month, 1)
