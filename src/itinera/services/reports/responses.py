"""The responses section of a route report (C4 from C5): service points along the route,
coverage gaps by service type, siting proposals for new hubs, and activities by pillar (C6)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from itinera.domain.access import Action, Actor, can
from itinera.domain.errors import ItineraError
from itinera.services.activities import gaps
from itinera.services.reports.freshness import freshness_token
from itinera.services.services_map import analysis
from itinera.storage.activities.gap_repository import GapRepository

__all__ = ["activities_by_pillar", "responses_section"]

log = logging.getLogger(__name__)
SITES = 3
SITING_SECONDS = 5.0  # a report proposes; the siting page optimises at length
KEPT_SITINGS = 32
_sites_lock = threading.Lock()
_sites_kept: dict[tuple[str, bool, str], list[dict[str, Any]]] = {}


def responses_section(db: Any, reader: Actor, route_id: str, settings: Any) -> dict[str, Any]:
    complementarity = analysis.route_complementarity(db, reader, route_id, settings)
    coverage = [
        {
            "service_type": c.service_type,
            "providers": c.providers,
            "share_length": round(100 * c.share_length, 1),
            "share_demand": round(100 * c.share_demand, 1),
            "gaps": len(c.gaps),
            "longest_gap_km": round(max((g.length_km for g in c.gaps), default=0.0)),
        }
        for c in complementarity.coverage
    ]
    points = [
        {
            "name": p.name,
            "kind": p.kind.value,
            "country": p.country,
            "locality": p.locality,
            "lat": p.lat,
            "lon": p.lon,
            "service_types": sorted(p.service_types),
        }
        for p in sorted(complementarity.near_points, key=lambda p: (p.country or "", p.name))
    ]
    return {"points": points, "coverage": coverage, "sites": _sites(db, reader, route_id, settings)}


def _sites(db: Any, reader: Actor, route_id: str, settings: Any) -> list[dict[str, Any]]:
    """Siting proposals, kept in memory by route, reader's exactness and freshness token: the
    editions and languages of one report share them (an optimisation of up to 5 s)."""
    key = (route_id, can(reader, Action.VIEW_EXACT_FIGURES), freshness_token(db))
    with _sites_lock:
        if key in _sites_kept:
            return _sites_kept[key]
    sites: list[dict[str, Any]] = []
    try:
        siting = analysis.site_hubs(
            db, reader, [route_id], SITES, settings, time_limit_s=SITING_SECONDS
        )
        sites = siting.sites
    except ItineraError as problem:  # no demand or no candidates: the report says none
        log.info("report: no siting proposal (%s)", problem.code)
    with _sites_lock:
        _sites_kept[key] = sites
        while len(_sites_kept) > KEPT_SITINGS:
            _sites_kept.pop(next(iter(_sites_kept)))
    return sites


def activities_by_pillar(
    db: Any, reader: Actor, route_id: str, year: int, threshold: int
) -> dict[str, Any]:
    """The route's gap matrix for the year (C6) summed by pillar: organisations, activities,
    people reached, and the countries where the pillar has a gap. Empty when no activity of
    the route's countries is recorded for the year."""
    countries = sorted({country for country, _ in gaps.route_countries(db, route_id)})
    with db.transaction() as session:
        recorded = GapRepository(session).cells(countries, year)
    if not recorded:  # the matrix would sum a year of movement figures to show no activity
        return {"year": year, "rows": [], "gaps": None}
    matrix = gaps.gap_matrix(db, reader, route_id, year, threshold=threshold)
    rows = []
    for pillar in matrix["pillars"]:
        cells = [(c["country"], c["pillars"][str(pillar)]) for c in matrix["countries"]]
        reached = [cell["reached"] for _, cell in cells if cell["reached"] is not None]
        rows.append(
            {
                "pillar": pillar,
                "organisations": sum(cell["organisations"] for _, cell in cells),
                "activities": sum(cell["activities"] for _, cell in cells),
                "reached": sum(reached) if reached else None,
                "gap_countries": sorted({country for country, cell in cells if cell["gap"]}),
            }
        )
    return {
        "year": year,
        "rows": rows if any(r["activities"] for r in rows) else [],
        "gaps": matrix["gaps"],
    }
