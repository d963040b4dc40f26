"""Route series and mortality for the API, the CLI and the pages (C3).

Analysts (``view_exact_figures``) get exact figures; everyone else (``view_aggregates``) gets
figures with small cells suppressed, and every derived figure (changes, rolling totals, roll-ups,
rates) computed from the published figures only, so that none reveals a hidden one.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.mortality import mortality_over, mortality_rate
from itinera.domain.analytics.series import (
    Month,
    changes_at,
    roll_up_at,
    rolling_12_at,
)
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.indicator import Indicator
from itinera.services.analytics.arrays import Snapshot, kept, snapshot
from itinera.services.analytics.cache import Token
from itinera.services.analytics.figures import parse_month
from itinera.services.analytics.grid import Grid, Published, category_grid, publish, single_row
from itinera.services.analytics.window import Headlines, Provenance, safe
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.database import Database

__all__ = [
    "BREAKDOWNS",
    "mortality_in_memory",
    "route_mortality",
    "route_series",
    "series_in_memory",
]

BREAKDOWNS = ("nationality", "sex", "age_group", "country")
DEFAULT_SPAN = 36  # months shown when no period is asked for


def _window(series: Mapping[int, float], first: Month | None, last: Month | None) -> list[int]:
    """The months asked, by index (``series``: the figures by month index, for the default
    end)."""
    last = last or (Month.of_index(max(series)) if series else None)
    if last is None:
        return []
    first = first or last.shift(-(DEFAULT_SPAN - 1))
    if last < first:
        raise ValidationError.single("to", f"{last} is before {first}")
    if last.index - first.index >= 12 * 50:
        raise ValidationError.single("from", "ask for at most 50 years at a time")
    return list(range(first.index, last.index + 1))


@functools.lru_cache(maxsize=4096)
def _code(index: int) -> str:
    """``Month.of_index(index).code``, made once per month (a ``Month`` a point cost ~1 µs)."""
    return Month.of_index(index).code


def _require_route(snap: Snapshot, route_id: str) -> None:
    if not snap.route_exists(route_id):
        raise NotFoundError(f"no route with id {route_id!r}", hint="see `itinera routes list`")


def _partial_months(snap: Snapshot, indicator: str) -> set[str]:
    """Months a source covers in part, for figures derived from incidents (issue 11)."""
    return snap.partial_months() if _derived(indicator) else set()


def _derived(indicator: str) -> bool:
    known = indicator_dictionary().indicators.get(indicator)
    return known is not None and known.incident_derived


def series_in_memory(
    db: Database,
    token: Token,
    route_id: str,
    indicator: str,
    by: str | None = None,
    country: str | None = None,
) -> bool:
    """Whether ``route_series`` would answer at ``token`` without reading the database."""
    snap = kept(db, token, by is not None or country is not None)
    dimension = "country" if country else by or "total"
    blocks = [(indicator, route_id, dimension), (indicator, route_id, "total")]
    return snap is not None and snap.holds(route_id, blocks, partial=_derived(indicator))


def mortality_in_memory(db: Database, token: Token, route_id: str) -> bool:
    """Whether ``route_mortality`` would answer at ``token`` without reading the database."""
    snap = kept(db, token, False)
    indicators = ("arrivals", "dead_and_missing")
    blocks = [(i, route_id, "total") for i in indicators]
    partial = any(_derived(i) for i in indicators)
    return snap is not None and snap.holds(route_id, blocks, indicators[1:], partial)


def _definition(indicator: str) -> Indicator:
    dictionary = indicator_dictionary()
    if indicator not in dictionary:
        known = ", ".join(sorted(dictionary.indicators))
        raise ValidationError.single("indicator", f"unknown indicator {indicator!r} ({known})")
    return dictionary[indicator]


def route_series(
    db: Database,
    actor: Actor,
    route_id: str,
    indicator: str,
    first: str | None = None,
    last: str | None = None,
    by: str | None = None,
    top: int | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    country: str | None = None,
    token: Token | None = None,
) -> dict[str, Any]:
    """The route's monthly series of ``indicator``; with ``country`` (ISO 3166 alpha-3), only
    the figures recorded for that country on the route (issue 11: series per country).
    ``token``: the freshness token as read at the start of the request, if it was."""
    require(actor, Action.VIEW_AGGREGATES)
    snap = snapshot(db, by is not None or country is not None, token)
    return _series(snap, actor, route_id, indicator, first, last, by, top, threshold, country)


@dataclass(slots=True)
class _Figures:
    """A series' figures over its window, before the answer is shaped: the months (by
    index), the exact monthly totals (with the 12 months before when both ends were asked),
    the category table as published and the hidden cells, the published totals and each
    month's provenance."""

    definition: Indicator
    exact: bool
    country: str | None
    codes: list[str]  # the window's months, YYYY-MM
    idx: list[int]
    exact_totals: dict[int, float]
    grid: Grid | None  # None: a single row with nothing to hide
    published: Published | None
    totals: dict[int, float]
    provenance: Provenance
    headlines: Headlines

    def sources(self) -> list[str]:
        """The headline sources of the window's months (what the points name)."""
        shown = self.provenance.items()
        return sorted(
            {p[0] for m, p in shown if p[0] and (not self.country or m in self.exact_totals)}
        )


def _figures(
    snap: Snapshot,
    actor: Actor,
    route_id: str,
    indicator: str,
    first: str | None,
    last: str | None,
    by: str | None,
    top: int | None,
    threshold: int,
    country: str | None,
) -> _Figures:
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    _require_route(snap, route_id)  # 404 for an unknown route
    if by is not None and by not in BREAKDOWNS:
        raise ValidationError.single("by", f"{by!r} is not one of {', '.join(BREAKDOWNS)}")
    if country is not None and (len(country) != 3 or not country.isalpha() or by == "country"):
        message = "a country is 3 letters (ISO 3166 alpha-3), and not with by=country"
        raise ValidationError.single("country", message)
    if top is not None and top < 1:
        raise ValidationError.single("top", "top must be at least 1")
    asked = parse_month(first, "from"), parse_month(last, "to")
    definition = _definition(indicator)
    preferred = definition.preferred_sources
    # with both ends asked for, only them and the 12 months before (changes, rolling sums)
    span = (asked[0].index - 12, asked[1].index) if asked[0] and asked[1] else (None, None)
    country = country.upper() if country else None
    dimension = "country" if country else by or "total"
    headlines = snap.headlines(indicator, route_id, dimension, tuple(preferred))
    exact_totals = headlines.monthly(country, *span)
    idx = _window(exact_totals, *asked)  # the window by month index: the keys of every table
    codes = [_code(i) for i in idx]
    grid = published = None
    found = None if by else single_row(exact_totals, idx, exact, threshold)
    if found is not None:
        totals = found
    else:
        head = headlines.head.between(*span)
        grid = category_grid(head, idx, top) if by else Grid.single(exact_totals, idx)
        published = publish(grid, exact, threshold)
        totals = published.column_totals(idx)
    provenance = headlines.provenance(idx)
    return _Figures(
        definition,
        exact,
        country,
        codes,
        idx,
        exact_totals,
        grid,
        published,
        totals,
        provenance,
        headlines,
    )


def _series(
    snap: Snapshot,
    actor: Actor,
    route_id: str,
    indicator: str,
    first: str | None,
    last: str | None,
    by: str | None,
    top: int | None,
    threshold: int,
    country: str | None,
) -> dict[str, Any]:
    """``route_series`` on the figures of ``snap`` (the cube's columns at one token)."""
    f = _figures(snap, actor, route_id, indicator, first, last, by, top, threshold, country)
    exact, country, codes, idx = f.exact, f.country, f.codes, f.idx
    exact_totals, totals, provenance = f.exact_totals, f.totals, f.provenance
    others = f.headlines.other_sources(exact, threshold)
    lookback = (
        {
            i: v
            for i, v in exact_totals.items()
            if i < idx[0] and (shown := safe(v, exact, threshold)) is not None and shown == v
        }
        if idx
        else {}
    )
    extended = {**lookback, **totals}
    mom, yoy = changes_at(extended, idx, 1), changes_at(extended, idx, 12)
    rolling = rolling_12_at(extended, idx)
    partial = _partial_months(snap, indicator)
    points: list[dict[str, Any]] = []
    for j, m in enumerate(idx):
        found = not country or m in exact_totals
        source, batches, _ = provenance.get(m, (None, [], {})) if found else (None, [], {})
        points.append(
            {
                "month": codes[j],
                "value": totals.get(m),
                "suppressed": m in exact_totals and m not in totals,
                "source": source,
                "batches": list(batches),  # the kept provenance is shared by every answer
                # the other sources' figures are the route's, not the country's
                "other_sources": {} if country else dict(others.get(m, {})),
                "change_month": mom[j].absolute,
                "change_month_relative": mom[j].relative,
                "change_year": yoy[j].absolute,
                "change_year_relative": yoy[j].relative,
                "rolling_12": rolling[j],
                "partial": codes[j] in partial,  # a source's data end inside this month
            }
        )
    result: dict[str, Any] = {
        "route_id": route_id,
        "indicator": indicator,
        "unit": f.definition.unit.value,
        "from": codes[0] if codes else None,
        "to": codes[-1] if codes else None,
        "by": by,
        "country": country,
        "exact": exact,
        "threshold": None if exact else threshold,
        "total": _window_total(totals, idx, exact_totals),
        "points": points,
        "quarters": [_roll(r) for r in roll_up_at(totals, idx, "quarter")],
        "years": [_roll(r) for r in roll_up_at(totals, idx, "year")],
        "sources": sorted({p["source"] for p in points if p["source"]}),
        "batches": sorted({b for p in points for b in p["batches"]}),
    }
    if f.published is not None and f.grid is not None and by:
        result["breakdown"] = f.published.rows(f.grid, codes)
    return result


def _window_total(
    published: Mapping[int, float], months: list[int], exact: Mapping[int, float]
) -> float | None:
    present = [m for m in months if m in exact]
    if not present or any(m not in published for m in present):
        return None
    return sum(published[m] for m in present)


def _roll(r: Any) -> dict[str, Any]:
    return {
        "period": r.period,
        "value": r.value,
        "complete": r.complete,
        "months_present": r.months_present,
        "months_expected": r.months_expected,
    }


def route_mortality(
    db: Database,
    actor: Actor,
    route_id: str,
    first: str | None = None,
    last: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    token: Token | None = None,
) -> dict[str, Any]:
    """Monthly and whole-period mortality from arrivals (persons) and dead and missing."""
    require(actor, Action.VIEW_AGGREGATES)
    snap = snapshot(db, known=token)

    def figures(indicator: str, first: str | None, last: str | None) -> _Figures:
        return _figures(snap, actor, route_id, indicator, first, last, None, None, threshold, None)

    asked = parse_month(first, "from"), parse_month(last, "to")
    if asked[0] and asked[1]:  # the window is the one asked for: no series to find it
        first, last = asked[0].code, asked[1].code
    else:
        window = figures("arrivals", first, last)
        if not window.codes:
            window = figures("dead_and_missing", first, last)
        if not window.codes:
            return {"route_id": route_id, "from": None, "to": None, "points": [], "period": None}
        first, last = window.codes[0], window.codes[-1]
    arrivals = figures("arrivals", first, last)
    dead = figures("dead_and_missing", first, last)
    a, d = arrivals.totals, dict(dead.totals)  # the published figures, by month index
    months = dead.idx
    hidden = {m for m in months if m in dead.exact_totals and m not in dead.totals}
    span = snap.span("dead_and_missing")
    # inside the span the dead-and-missing source covers, a month without an incident is 0
    if span:
        for m in months:
            if span[0].index <= m <= span[1].index and m not in d and m not in hidden:
                d[m] = 0.0
    points = []
    for code, m in zip(dead.codes, months, strict=True):
        rate = mortality_rate(a.get(m), d.get(m))
        points.append(
            {
                "month": code,
                "arrivals": rate.arrivals,
                "dead_and_missing": rate.dead_and_missing,
                "rate": rate.rate,
                "per_thousand": rate.per_thousand,
            }
        )
    whole = mortality_over(a, d, months)
    return {
        "route_id": route_id,
        "from": first,
        "to": last,
        "exact": arrivals.exact,
        "formula": "(dead + missing) / (arrivals + dead + missing)",
        "arrivals_sources": arrivals.sources(),
        "dead_and_missing_sources": dead.sources(),
        "period": {
            "arrivals": whole.arrivals,
            "dead_and_missing": whole.dead_and_missing,
            "rate": whole.rate,
            "per_thousand": whole.per_thousand,
        },
        "points": points,
    }
