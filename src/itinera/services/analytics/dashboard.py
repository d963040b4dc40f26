"""What the dashboard pages show (C3): key figures per route for the overview, and the route
page's charts. Built on ``route_series`` / ``route_mortality`` so that the public sees exactly
the suppressed figures the API gives them, and analysts the exact ones."""

from __future__ import annotations

from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.series import Month, months_between
from itinera.domain.analytics.shifts import share_changes, shares
from itinera.domain.errors import ValidationError
from itinera.domain.movement_records import record_dict
from itinera.services.analytics.cache import cached, ensure_current
from itinera.services.analytics.figures import indicator_span, load_figures
from itinera.services.analytics.series import route_mortality, route_series
from itinera.services.catalogue import routes as route_service
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database
from itinera.storage.movements.query_repository import MovementQueryRepository

__all__ = [
    "FLOW_INDICATORS",
    "KEY_INDICATORS",
    "flow_indicator",
    "group_shares",
    "overview",
    "route_sources",
]

FLOW_INDICATORS = ("arrivals", "irregular_crossings_detected")
KEY_INDICATORS = ("arrivals", "irregular_crossings_detected", "dead_and_missing")


def latest_month(db: Database, indicators: tuple[str, ...] = KEY_INDICATORS) -> Month | None:
    spans = [s for i in indicators if (s := indicator_span(db, i)) is not None]
    return max(s[1] for s in spans) if spans else None


def flow_indicator(db: Database, route_id: str) -> str:
    """Arrivals (persons) where the store has them for the route, else Frontex detections."""
    for indicator in FLOW_INDICATORS:
        if load_figures(db, indicator, [route_id]).totals(route_id):
            return indicator
    return FLOW_INDICATORS[0]


def overview(
    db: Database, actor: Actor, threshold: int, period: tuple[Month, Month] | None = None
) -> dict[str, Any]:
    """Per route: the latest month's flow (for the map) and the figures of the period asked
    (default: the last 12 months with data) — arrivals, detections, dead and missing, mortality
    rate. Kept in memory until the freshness token changes (``cache.py``: new batches, route
    re-attribution, rebuild)."""
    require(actor, Action.VIEW_AGGREGATES)
    if period is not None and period[0] > period[1]:
        raise ValidationError.single("from", "the period starts after it ends")
    now = ensure_current(db)
    key = ("overview", now, can(actor, Action.VIEW_EXACT_FIGURES), threshold, period)

    def build() -> dict[str, Any]:
        with db.transaction() as session:
            routes = list(RouteRepository(session).route_ids())
        return _overview(db, actor, threshold, routes, period)

    return cached(db, key, build)


def _overview(
    db: Database,
    actor: Actor,
    threshold: int,
    routes: list[str],
    period: tuple[Month, Month] | None,
) -> dict[str, Any]:
    last = latest_month(db) if period is None else period[1]
    if last is None:
        return {
            "from": None,
            "to": None,
            "flow_months": {},
            "flows": {},
            "routes": {r: {} for r in routes},
        }
    first = last.shift(-11) if period is None else period[0]
    flow_last: dict[str, Month] = {}
    for indicator in FLOW_INDICATORS:
        span = indicator_span(db, indicator)
        if span:
            flow_last[indicator] = span[1]
    figures: dict[str, dict[str, Any]] = {}
    for rid in routes:
        entry: dict[str, Any] = {}
        for indicator in ("arrivals", "irregular_crossings_detected"):
            s = route_series(db, actor, rid, indicator, first.code, last.code, threshold=threshold)
            entry[indicator] = s["total"] if s["sources"] else None
        mortality = route_mortality(db, actor, rid, first.code, last.code, threshold=threshold)
        totals = mortality.get("period") or {}
        entry["dead_and_missing"] = totals.get("dead_and_missing")
        entry["mortality_rate"] = totals.get("rate")
        entry["flow"] = _flow(db, actor, rid, flow_last, threshold)
        figures[rid] = entry
    flows = {
        r: f["flow"]["value"]
        for r, f in figures.items()
        if f["flow"] and f["flow"]["value"] is not None
    }
    return {
        "from": first.code,
        "to": last.code,
        "routes": figures,
        "flows": flows,
        "flow_months": {i: m.code for i, m in flow_last.items()},
    }


def _flow(
    db: Database, actor: Actor, route_id: str, flow_last: dict[str, Month], threshold: int
) -> dict[str, Any] | None:
    for indicator, month in flow_last.items():
        s = route_series(
            db, actor, route_id, indicator, month.code, month.code, threshold=threshold
        )
        if s["sources"]:
            point = s["points"][0]
            return {
                "indicator": indicator,
                "month": month.code,
                "value": point["value"],
                "suppressed": point["suppressed"],
            }
    return None


def group_shares(
    db: Database, actor: Actor, route_id: str, indicator: str, months: list[Month], threshold: int
) -> dict[str, Any] | None:
    """Each route's share of its group's total per month, and the change against the three
    months before, from the figures this actor may see (a month with a hidden figure has none)."""
    require(actor, Action.VIEW_AGGREGATES)
    route = route_service.get_route(db, route_id).route
    if route.group is None or not months:
        return None
    members = sorted(r.id for r in route_service.list_routes(db) if r.group == route.group)
    figures = load_figures(db, indicator, members)
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    series = {
        r: {m: v for m, v in figures.totals(r).items() if exact or not 0 < v < threshold}
        for r in members
    }
    span = months_between(months[0].shift(-3), months[-1])
    share = shares(series, span)
    changes = {r: share_changes(share[r], months) for r in members}
    return {
        "group": route.group,
        "indicator": indicator,
        "members": members,
        "months": [m.code for m in months],
        "shares": {r: [share[r].get(m) for m in months] for r in members},
        "changes": {r: [changes[r].get(m) for m in months] for r in members},
    }


def route_sources(db: Database, batch_ids: list[int]) -> list[dict[str, Any]]:
    """The import batches behind figures: source, dataset, vintage, file, when imported."""
    with db.transaction() as session:
        found = MovementQueryRepository(session).batch_provenance(sorted(set(batch_ids)))
    return [record_dict(batch) for batch in found]
