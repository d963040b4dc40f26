"""Open alerts across all routes (C3): seasonal early warning and shifts between linked routes."""

from __future__ import annotations

from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.early_warning import EarlyWarningSettings, detect_anomalies
from itinera.domain.analytics.series import months_between
from itinera.domain.analytics.shifts import detect_shifts, localised_explanation
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.text import localise
from itinera.reference.early_warning import packaged_early_warning
from itinera.services.analytics.figures import load_figures
from itinera.services.catalogue import routes as route_service
from itinera.services.movements.coverage import incomplete_months
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.database import Database

__all__ = ["WATCHED_INDICATORS", "list_alerts"]

WATCHED_INDICATORS = ("arrivals", "irregular_crossings_detected", "dead_and_missing")
SHIFT_INDICATORS = ("irregular_crossings_detected", "arrivals")
RECENT_MONTHS = 12


def list_alerts(
    db: Database,
    actor: Actor,
    *,
    route_id: str | None = None,
    months: int = RECENT_MONTHS,
    shift_points: float = 10.0,
    warning: EarlyWarningSettings | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    language: str = "en",
) -> list[dict[str, Any]]:
    """Alerts of the last ``months`` months with data, newest first. Early-warning thresholds
    are those of ``early_warning.yaml`` for each route and indicator unless ``warning`` is given
    (then it applies to all)."""
    require(actor, Action.VIEW_AGGREGATES)
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    routes = {r.id: r for r in route_service.list_routes(db)}
    names = {r.id: dict(r.name) for r in routes.values()}
    alerts: list[dict[str, Any]] = []
    incomplete = incomplete_months(db)
    # One route's alerts read that route's figures only (each route's series stands alone).
    watched = [r for r in routes if not route_id or r == route_id]
    for indicator in WATCHED_INDICATORS:
        # A month a source covers in part is not over in the data: it is never an anomaly.
        partial = incomplete if indicator_dictionary()[indicator].incident_derived else set()
        figures = load_figures(db, indicator, watched)
        label = localise(indicator_dictionary()[indicator].name, language)
        for rid in watched:
            series = figures.totals(rid)
            if not series:
                continue
            last = max(series)
            recent = months_between(last.shift(-(months - 1)), last)
            rules = warning or packaged_early_warning().settings(rid, indicator)
            for a in detect_anomalies(series, recent, rules):
                if (not exact and a.value < threshold) or a.month.code in partial:
                    continue
                alerts.append(
                    {
                        "kind": "early-warning",
                        "route_id": rid,
                        "indicator": indicator,
                        "month": a.month.code,
                        "severity": a.severity.value,
                        "direction": a.direction.value,
                        "value": a.value,
                        "expected": a.expected,
                        "expected_low": a.expected_low,
                        "expected_high": a.expected_high,
                        "score": round(a.score, 2),
                        "years_of_history": a.years_of_history,
                        "message": _warning_text(
                            a, localise(names[rid], language), label, language
                        ),
                    }
                )
    alerts += _shift_alerts(db, routes, names, months, shift_points, route_id, language)
    return sorted(alerts, key=lambda a: (a["month"], a["kind"], a["route_id"]), reverse=True)


def _shift_alerts(
    db: Database,
    routes: dict[str, Any],
    names: dict[str, dict[str, str]],
    months: int,
    points: float,
    route_id: str | None,
    language: str,
) -> list[dict[str, Any]]:
    groups = route_service.list_groups(db)
    found = []
    for group_id, group in groups.items():
        members = sorted(r for r, route in routes.items() if route.group == group_id)
        if len(members) < 2 or (route_id and route_id not in members):
            continue  # a shift is between members: another group's never names route_id
        for indicator in SHIFT_INDICATORS:
            figures = load_figures(db, indicator, members)
            series = {r: figures.totals(r) for r in members}
            if all(series.values()):
                break
        else:
            continue
        last = min(max(s) for s in series.values())
        recent = months_between(last.shift(-(months - 1)), last)
        group_name = dict(group.name)
        for alert in detect_shifts(group_id, series, recent, points):
            if route_id and route_id not in (alert.route, alert.counterpart):
                continue
            text = localised_explanation(alert, names, group_name)
            found.append(
                {
                    "kind": "shift",
                    "route_id": alert.route,
                    "indicator": indicator,
                    "month": alert.month.code,
                    "group": group_id,
                    "severity": "warning" if abs(alert.change_points) < 2 * points else "alert",
                    "share_before": round(alert.share_before, 4),
                    "share_now": round(alert.share_now, 4),
                    "change_points": round(alert.change_points, 1),
                    "volume_before": alert.volume_before,  # the route's own figure (issue 11)
                    "volume_now": alert.volume_now,
                    "counterpart": alert.counterpart,
                    "message": localise(text, language),
                }
            )
    return found


_WARNING = {
    "en": "{route}: {indicator} in {month} was {value:,.0f}, {way} the expected "
    "{low:,.0f}–{high:,.0f}.",
    "fr": "{route} : {indicator} en {month} : {value:,.0f}, {way} de la plage attendue "
    "{low:,.0f}–{high:,.0f}.",
    "ar": "{route}: {indicator} في {month} ‏{value:,.0f}، {way} النطاق المتوقع "
    "{low:,.0f}–{high:,.0f}.",
}
_WAY = {"en": ("above", "below"), "fr": ("au-dessus", "au-dessous"), "ar": ("فوق", "دون")}


def _warning_text(anomaly: Any, route: str, indicator: str, language: str) -> str:
    lang = language if language in _WARNING else "en"
    up, down = _WAY[lang]
    return _WARNING[lang].format(
        route=route,
        indicator=indicator,
        month=anomaly.month.code,
        value=anomaly.value,
        way=up if anomaly.direction.value == "up" else down,
        low=anomaly.expected_low,
        high=anomaly.expected_high,
    )
