"""Parts of a route report's dynamics computed from several series (C4 from C3): departures as
arrivals plus interceptions, interceptions by authority, the share of unaccompanied and
separated children, and how the period's figures were attributed to the route.

Each part is asked of the analytics service with the edition's reader, so its figures are the
API's; a part whose inputs no source gives says so instead of showing a zero.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from itinera.domain.access import Actor
from itinera.domain.analytics.series import Month
from itinera.services.analytics import series as series_service
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.database import Database
from itinera.storage.movements.attribution import attribution_counts

__all__ = ["DEPARTURES_FORMULA", "attribution", "departures", "interceptions_by_authority", "uasc"]

DEPARTURES_FORMULA = "departures = arrivals + interceptions"
UASC_INDICATOR = "unaccompanied_children"  # a source giving it would add it to the dictionary


def _series(
    db: Database, reader: Actor, route: str, indicator: str, months: list[Month], threshold: int
) -> dict[str, Any]:
    return series_service.route_series(
        db, reader, route, indicator, months[0].code, months[-1].code, threshold=threshold
    )


def departures(
    db: Database, reader: Actor, route: str, months: list[Month], threshold: int
) -> dict[str, Any]:
    """Departures by month where both terms are known (a hidden or missing term leaves the
    month empty: a sum with an unknown term is unknown), and the period's total."""
    arrivals = _series(db, reader, route, "arrivals", months, threshold)
    intercepted = _series(db, reader, route, "interceptions", months, threshold)
    by_month = {p["month"]: p["value"] for p in arrivals["points"]}
    stopped = {p["month"]: p["value"] for p in intercepted["points"]}
    points = []
    for month in months:
        a, i = by_month.get(month.code), stopped.get(month.code)
        total = None if a is None or i is None else a + i
        points.append({"month": month.code, "arrivals": a, "interceptions": i, "departures": total})
    known = [p["departures"] for p in points]
    missing = [
        name
        for name, values in (("arrivals", by_month), ("interceptions", stopped))
        if all(values.get(m.code) is None for m in months)
    ]
    return {
        "formula": DEPARTURES_FORMULA,
        "points": points,
        "total": None if any(v is None for v in known) else sum(v for v in known if v is not None),
        "missing": missing,
    }


def interceptions_by_authority(
    db: Database, reader: Actor, route: str, months: list[Month], threshold: int
) -> list[dict[str, Any]]:
    """Interceptions by the country whose authorities reported them (coast guard, border
    police): the movement data name the reporting country, not the unit."""
    found = series_service.route_series(
        db,
        reader,
        route,
        "interceptions",
        months[0].code,
        months[-1].code,
        "country",
        10,
        threshold=threshold,
    )
    return [b for b in found.get("breakdown", []) if b.get("total") is not None]


def uasc(
    db: Database, reader: Actor, route: str, flow: str, months: list[Month], threshold: int
) -> dict[str, Any] | None:
    """The share of unaccompanied and separated children among the flow, where a source
    gives it; ``None`` when none does (the report says so)."""
    if UASC_INDICATOR not in indicator_dictionary().indicators:
        return None
    children = _series(db, reader, route, UASC_INDICATOR, months, threshold)["total"]
    everyone = _series(db, reader, route, flow, months, threshold)["total"]
    if children is None or not everyone:
        return None
    return {"children": children, "of": everyone, "share": round(100 * children / everyone, 1)}


def attribution(db: Database, route: str, months: list[Month]) -> list[dict[str, Any]]:
    """Per indicator, how many of the period's figures named the route and how many were
    attributed by place or country (counts of stored figures, not persons: nothing to hide)."""
    first = date(months[0].year, months[0].month, 1)
    last = date(months[-1].year, months[-1].month, 1)
    with db.transaction() as session:
        counted = attribution_counts(session, route, first, last)
    return [
        {"indicator": indicator, "by_route_name": n["route_name"], "by_place": n["place"]}
        for indicator, n in sorted(counted.items())
    ]
