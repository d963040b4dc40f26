"""The oracle of ``test_arrays.py``: ``services/analytics/series.py`` as it stood before the
cube's columns were kept in memory (decision 0036), every figure read through SQL
(``figures.load_figures``) and suppressed cell by cell. Kept verbatim (but for this paragraph)
so that the arrays' answers can be compared with it on random stores.

Route series and mortality for the API, the CLI and the pages (C3).

Analysts (``view_exact_figures``) get exact figures; everyone else (``view_aggregates``) gets
figures with small cells suppressed, and every derived figure (changes, rolling totals, roll-ups,
rates) computed from the published figures only, so that none reveals a hidden one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.mortality import mortality_over, mortality_rate
from itinera.domain.analytics.series import (
    Month,
    month_on_month,
    months_between,
    roll_up,
    rolling_12,
    top_n,
    year_on_year,
)
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD, suppress_table
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.services.analytics.figures import (
    indicator_span,
    load_figures,
    parse_month,
)
from itinera.services.movements.coverage import incomplete_months
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database

__all__ = ["route_mortality", "route_series"]

BREAKDOWNS = ("nationality", "sex", "age_group", "country")
DEFAULT_SPAN = 36  # months shown when no period is asked for


def _window(
    series: Mapping[Month, float], first_text: str | None, last_text: str | None
) -> list[Month]:
    first, last = parse_month(first_text, "from"), parse_month(last_text, "to")
    known = sorted(series)
    last = last or (known[-1] if known else None)
    if last is None:
        return []
    first = first or last.shift(-(DEFAULT_SPAN - 1))
    if last < first:
        raise ValidationError.single("to", f"{last} is before {first}")
    if last.index - first.index >= 12 * 50:
        raise ValidationError.single("from", "ask for at most 50 years at a time")
    return months_between(first, last)


def _require_route(db: Database, route_id: str) -> None:
    with db.transaction() as session:
        if not RouteRepository(session).exists(route_id):
            raise NotFoundError(f"no route with id {route_id!r}", hint="see `itinera routes list`")


def _publish(
    rows: Mapping[str, Mapping[Month, float]], months: list[Month], exact: bool, threshold: int
) -> tuple[dict[str, dict[Month, float]], set[tuple[str, Month]]]:
    """The table (category -> month -> value) as it may be shown, and the hidden cells."""
    categories = sorted(rows)
    if exact or not categories:
        return {c: {m: rows[c][m] for m in months if m in rows[c]} for c in categories}, set()
    cells = [[round(rows[c].get(m, 0)) for m in months] for c in categories]
    table = suppress_table(cells, threshold)
    published: dict[str, dict[Month, float]] = {c: {} for c in categories}
    hidden = set()
    for i, c in enumerate(categories):
        for j, m in enumerate(months):
            if m not in rows[c]:
                continue
            value = table.cells[i][j]
            if value is None:
                hidden.add((c, m))
            else:
                published[c][m] = float(value)
    return published, hidden


def _partial_months(db: Database, indicator: str) -> set[str]:
    """Months a source covers in part, for figures derived from incidents (issue 11)."""
    known = indicator_dictionary().indicators.get(indicator)
    return incomplete_months(db) if known is not None and known.incident_derived else set()


def _safe(value: float | None, exact: bool, threshold: int) -> float | None:
    if value is None or exact or not 0 < value < threshold:
        return value
    return None


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
) -> dict[str, Any]:
    """The route's monthly series of ``indicator``; with ``country`` (ISO 3166 alpha-3), only
    the figures recorded for that country on the route (issue 11: series per country)."""
    require(actor, Action.VIEW_AGGREGATES)
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    _require_route(db, route_id)  # 404 for an unknown route
    if by is not None and by not in BREAKDOWNS:
        raise ValidationError.single("by", f"{by!r} is not one of {', '.join(BREAKDOWNS)}")
    if country is not None and (len(country) != 3 or not country.isalpha() or by == "country"):
        message = "a country is 3 letters (ISO 3166 alpha-3), and not with by=country"
        raise ValidationError.single("country", message)
    if top is not None and top < 1:
        raise ValidationError.single("top", "top must be at least 1")
    asked = parse_month(first, "from"), parse_month(last, "to")
    # with both ends asked for, read only them and the 12 months before (changes, rolling sums)
    span = (asked[0].shift(-12), asked[1]) if asked[0] and asked[1] else (None, None)
    country = country.upper() if country else None
    dimension = "country" if country else by or "total"
    figures = load_figures(db, indicator, [route_id], dimension, *span)
    exact_totals = figures.series(route_id, country) if country else figures.totals(route_id)
    months = _window(exact_totals, first, last)
    categories = figures.values.get(route_id, {}) if by else {"": exact_totals}
    if by and top:
        categories = _collapse(categories, months, top)
    published, hidden = _publish(categories, months, exact, threshold)
    totals = _column_totals(published, hidden, months) if by else published.get("", {})
    lookback = (
        {
            m: v
            for m, v in exact_totals.items()
            if m < months[0] and (safe := _safe(v, exact, threshold)) is not None and safe == v
        }
        if months
        else {}
    )
    extended = {**lookback, **totals}
    mom, yoy, rolling = (
        month_on_month(extended, months),
        year_on_year(extended, months),
        rolling_12(extended, months),
    )
    provenance = figures.provenance.get(route_id, {})
    partial = _partial_months(db, indicator)
    points: list[dict[str, Any]] = []
    for m in months:
        found = not country or m in exact_totals
        source, batches, others = provenance.get(m, (None, [], {})) if found else (None, [], {})
        points.append(
            {
                "month": m.code,
                "value": totals.get(m),
                "suppressed": m in exact_totals and m not in totals,
                "source": source,
                "batches": batches,
                "other_sources": {}
                if country  # the other sources' figures are the route's, not the country's
                else {s: _safe(v, exact, threshold) for s, v in sorted(others.items())},
                "change_month": mom[m].absolute,
                "change_month_relative": mom[m].relative,
                "change_year": yoy[m].absolute,
                "change_year_relative": yoy[m].relative,
                "rolling_12": rolling[m],
                "partial": m.code in partial,  # a source's data end inside this month
            }
        )
    result: dict[str, Any] = {
        "route_id": route_id,
        "indicator": indicator,
        "unit": figures.unit,
        "from": months[0].code if months else None,
        "to": months[-1].code if months else None,
        "by": by,
        "country": country,
        "exact": exact,
        "threshold": None if exact else threshold,
        "total": _window_total(totals, months, exact_totals),
        "points": points,
        "quarters": [_roll(r) for r in roll_up(totals, months, "quarter")],
        "years": [_roll(r) for r in roll_up(totals, months, "year")],
        "sources": sorted({p["source"] for p in points if p["source"]}),
        "batches": sorted({b for p in points for b in p["batches"]}),
    }
    if by:
        result["breakdown"] = [
            {
                "category": c or "unknown",
                "total": _window_total(published[c], months, categories[c]),
                "values": {m.code: published[c].get(m) for m in months if m in categories[c]},
            }
            for c in sorted(published, key=lambda c: -sum(categories[c].get(m, 0) for m in months))
        ]
    return result


def _collapse(
    rows: Mapping[str, Mapping[Month, float]], months: list[Month], top: int
) -> dict[str, dict[Month, float]]:
    ranked = top_n({c: sum(rows[c].get(m, 0) for m in months) for c in rows}, top)
    keep = {c for c, _ in ranked if c in rows and c != "other"}
    collapsed: dict[str, dict[Month, float]] = {c: dict(rows[c]) for c in keep}
    for c in rows:
        if c not in keep:
            other = collapsed.setdefault("other", {})
            for m, v in rows[c].items():
                other[m] = other.get(m, 0) + v
    return collapsed


def _column_totals(
    published: Mapping[str, Mapping[Month, float]],
    hidden: set[tuple[str, Month]],
    months: list[Month],
) -> dict[Month, float]:
    hidden_months = {m for _, m in hidden}
    totals: dict[Month, float] = {}
    for m in months:
        values = [row[m] for row in published.values() if m in row]
        if values and m not in hidden_months:
            totals[m] = sum(values)
    return totals


def _window_total(
    published: Mapping[Month, float], months: list[Month], exact: Mapping[Month, float]
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
) -> dict[str, Any]:
    """Monthly and whole-period mortality from arrivals (persons) and dead and missing."""
    require(actor, Action.VIEW_AGGREGATES)
    asked = parse_month(first, "from"), parse_month(last, "to")
    if asked[0] and asked[1]:  # the window is the one asked for: no series to find it
        first, last = asked[0].code, asked[1].code
    else:
        window = route_series(db, actor, route_id, "arrivals", first, last, threshold=threshold)
        if window["from"] is None:
            window = route_series(
                db, actor, route_id, "dead_and_missing", first, last, threshold=threshold
            )
        if window["from"] is None:
            return {"route_id": route_id, "from": None, "to": None, "points": [], "period": None}
        first, last = str(window["from"]), str(window["to"])
    arrivals = route_series(db, actor, route_id, "arrivals", first, last, threshold=threshold)
    dead = route_series(db, actor, route_id, "dead_and_missing", first, last, threshold=threshold)
    a, d = _values(arrivals), _values(dead)
    hidden = {Month.parse(p["month"]) for p in dead["points"] if p["suppressed"]}
    span = indicator_span(db, "dead_and_missing")
    months = months_between(Month.parse(first), Month.parse(last))
    # inside the span the dead-and-missing source covers, a month without an incident is 0
    for m in months:
        if span and span[0] <= m <= span[1] and m not in d and m not in hidden:
            d[m] = 0.0
    points = []
    for m in months:
        rate = mortality_rate(a.get(m), d.get(m))
        points.append(
            {
                "month": m.code,
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
        "exact": arrivals["exact"],
        "formula": "(dead + missing) / (arrivals + dead + missing)",
        "arrivals_sources": arrivals["sources"],
        "dead_and_missing_sources": dead["sources"],
        "period": {
            "arrivals": whole.arrivals,
            "dead_and_missing": whole.dead_and_missing,
            "rate": whole.rate,
            "per_thousand": whole.per_thousand,
        },
        "points": points,
    }


def _values(series: dict[str, Any]) -> dict[Month, float]:
    return {Month.parse(p["month"]): p["value"] for p in series["points"] if p["value"] is not None}
