"""Complementarity along a route (coverage, gaps, duplicates) and siting of new hubs."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Action, Actor, require
from itinera.domain.complementarity import (
    DEFAULT_COVERAGE_KM,
    DEFAULT_RADIUS_KM,
    DuplicateGroup,
    Facility,
    SamePlacePair,
    TypeCoverage,
    coverage_by_type,
    duplicate_offers,
    same_place_pairs,
)
from itinera.domain.coverage import cover_legs, point_along
from itinera.domain.demand import DemandPoint
from itinera.domain.errors import ValidationError
from itinera.domain.reference import ReferenceCategory
from itinera.domain.service_point import PointStatus, ServicePoint
from itinera.domain.siting import Candidate, MclpSolver, build_instance, greedy, marginal_gains
from itinera.domain.spatial import GridIndex
from itinera.engines.siting import OrToolsMclpSolver
from itinera.services.services_map.demand import RouteGeometry, demand_for, route_geometry
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.database import Database
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = [
    "RouteComplementarity",
    "SitingReport",
    "points_near_route",
    "radius_function",
    "route_complementarity",
    "site_hubs",
]

CANDIDATE_STEP_KM = 50.0


def radius_function(settings: Settings) -> Callable[[str], float]:
    def radius(code: str) -> float:
        return float(
            settings.services_coverage_km.get(
                code, DEFAULT_COVERAGE_KM.get(code, DEFAULT_RADIUS_KM)
            )
        )

    return radius


def _facilities(points: Sequence[ServicePoint]) -> list[Facility]:
    return [
        Facility(p.id or 0, p.lat, p.lon, p.service_types, frozenset(p.organisation_ids), p.name)
        for p in points
        if p.lat is not None and p.lon is not None and p.status is PointStatus.ACTIVE
    ]


def _load(db: Database) -> tuple[list[ServicePoint], list[str]]:
    with db.transaction() as session:
        points = ServicePointRepository(session).all()
        codes = [i.code for i in ReferenceRepository(session).items(ReferenceCategory.SERVICE_TYPE)]
    return points, codes


def points_near_route(
    db: Database, route_id: str, radius_km: float = DEFAULT_RADIUS_KM
) -> set[int]:
    geometry = route_geometry(db, route_id)
    points, _ = _load(db)
    index = GridIndex(
        (p.id or 0, p.lat, p.lon) for p in points if p.lat is not None and p.lon is not None
    )
    return {key for c in cover_legs(geometry.legs, index, radius_km) for key in c.contributors}


@dataclass(frozen=True)
class RouteComplementarity:
    geometry: RouteGeometry
    coverage: list[TypeCoverage]
    duplicates: list[DuplicateGroup]
    same_place: list[SamePlacePair]
    near_points: list[ServicePoint]
    demand_points: int


def route_complementarity(
    db: Database,
    actor: Actor,
    route_id: str,
    settings: Settings,
    service_types: Sequence[str] | None = None,
) -> RouteComplementarity:
    require(actor, Action.VIEW_SERVICES)
    geometry = route_geometry(db, route_id)
    points, codes = _load(db)
    wanted = _check_types(service_types, codes)
    facilities = _facilities(points)
    radius = radius_function(settings)
    demand = demand_for(db, geometry, actor, settings.analytics_suppression_threshold)
    coverage = coverage_by_type(geometry.legs, facilities, demand, wanted, radius)
    near_keys = {k for c in coverage for k in _near_keys(geometry, facilities, c)}
    near = [f for f in facilities if f.key in near_keys]
    return RouteComplementarity(
        geometry,
        coverage,
        duplicate_offers(near, settings.services_duplicate_radius_km, wanted),
        same_place_pairs(near),
        [p for p in points if p.id in near_keys],
        len(demand),
    )


def _near_keys(
    geometry: RouteGeometry, facilities: list[Facility], coverage: TypeCoverage
) -> set[int]:
    index = GridIndex(
        (f.key, f.lat, f.lon) for f in facilities if coverage.service_type in f.service_types
    )
    found = cover_legs(geometry.legs, index, coverage.radius_km)
    return {key for c in found for key in c.contributors}


def _check_types(service_types: Sequence[str] | None, codes: list[str]) -> list[str]:
    if not service_types:
        return codes
    unknown = [c for c in service_types if c not in codes]
    if unknown:
        raise ValidationError.single(
            "service_types", f"unknown service type(s): {', '.join(unknown)}"
        )
    return list(service_types)


@dataclass(frozen=True)
class SitingReport:
    route_ids: tuple[str, ...]
    service_types: tuple[str, ...]
    radius_km: float
    k: int
    sites: list[dict[str, Any]]  # chosen, in order of the demand each adds
    greedy_sites: list[dict[str, Any]]
    covered: float
    greedy_covered: float
    bound: float
    gap: float
    proven_optimal: bool
    solver: str
    seconds: float
    demand_total: float
    already_covered: float
    unreachable: float
    candidates: int
    demand_points: int


def site_hubs(
    db: Database,
    actor: Actor,
    route_ids: Sequence[str],
    k: int,
    settings: Settings,
    *,
    service_types: Sequence[str] | None = None,
    radius_km: float | None = None,
    candidates_file: Path | None = None,
    solver: MclpSolver | None = None,
    time_limit_s: float = 60.0,
) -> SitingReport:
    """Choose ``k`` hub sites maximising newly covered demand; compare with greedy."""
    require(actor, Action.VIEW_SERVICES)
    if not 1 <= k <= 100:
        raise ValidationError.single("k", "choose between 1 and 100 sites")
    points, codes = _load(db)
    wanted = _check_types(service_types, codes)
    radius = radius_km or min(radius_function(settings)(c) for c in wanted)
    if radius <= 0:
        raise ValidationError.single("radius_km", "must be positive")
    facilities = _facilities(points)
    geometries = [route_geometry(db, r) for r in route_ids]
    demand: list[DemandPoint] = []
    for geometry in geometries:
        demand += demand_for(db, geometry, actor, settings.analytics_suppression_threshold)
    # a hub offers every wanted type: a point's demand counts for the types not yet within
    # their own distance of an existing point offering them
    indexes = {
        c: GridIndex((f.key, f.lat, f.lon) for f in facilities if c in f.service_types)
        for c in wanted
    }
    per_type = radius_function(settings)
    total = sum(d.weight for d in demand)
    residual = []
    for d in demand:
        missing = sum(1 for c in wanted if not indexes[c].any_within(d.lat, d.lon, per_type(c)))
        if missing:
            residual.append(
                DemandPoint(d.lat, d.lon, d.weight * missing / len(wanted), d.kind, d.label, d.leg)
            )
    already = total - sum(d.weight for d in residual)
    candidates = (
        _read_candidates(candidates_file) if candidates_file else _route_candidates(geometries)
    )
    instance = build_instance(candidates, residual, radius)
    result = (solver or OrToolsMclpSolver()).solve(instance, k, time_limit_s)
    gains = marginal_gains(instance, result.chosen)
    order = sorted(zip(result.chosen, gains, strict=True), key=lambda cg: -cg[1])
    greedy_chosen, greedy_gains = greedy(instance, k)
    return SitingReport(
        tuple(route_ids),
        tuple(wanted),
        radius,
        k,
        [_site(candidates[c], g) for c, g in order],
        [_site(candidates[c], g) for c, g in zip(greedy_chosen, greedy_gains, strict=True)],
        round(result.objective, 3),
        round(sum(greedy_gains), 3),
        round(result.bound, 3),
        result.gap,
        result.proven_optimal,
        result.solver,
        round(result.seconds, 3),
        round(total, 3),
        round(already, 3),
        round(instance.unreachable, 3),
        len(candidates),
        len(demand),
    )


def _site(candidate: Candidate, gain: float) -> dict[str, Any]:
    return {
        "label": candidate.label,
        "lat": round(candidate.lat, 5),
        "lon": round(candidate.lon, 5),
        "added_demand": round(gain, 3),
    }


def _route_candidates(geometries: Sequence[RouteGeometry]) -> list[Candidate]:
    """Named stops of the routes, and points every 50 km along their land legs."""
    found: dict[tuple[float, float], str] = {}
    for geometry in geometries:
        for label, (lat, lon) in geometry.hotspots.items():
            found[(round(lat, 4), round(lon, 4))] = label
        for leg in geometry.legs:
            if leg.mode == "sea":
                continue
            length = leg.length_km()
            for i in range(1, max(1, math.floor(length / CANDIDATE_STEP_KM)) + 1):
                km = min(i * CANDIDATE_STEP_KM, length)
                lat, lon = point_along(leg, km)
                found.setdefault((lat, lon), f"{leg.from_place} → {leg.to_place}, km {km:.0f}")
    return [Candidate(i, lat, lon, label) for i, ((lat, lon), label) in enumerate(found.items())]


def _read_candidates(path: Path) -> list[Candidate]:
    """A CSV of candidate sites with columns ``name,lat,lon``."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise ValidationError.single("candidates", f"{path}: {error}") from None
    found: list[Candidate] = []
    for number, row in enumerate(rows, start=2):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError.single(
                "candidates", f"{path.name}, row {number}: lat and lon must be numbers"
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError.single(
                "candidates", f"{path.name}, row {number}: coordinates out of range"
            )
        found.append(Candidate(len(found), lat, lon, row.get("name") or f"row {number}"))
    if not found:
        raise ValidationError.single("candidates", f"{path.name} has no candidate rows")
    return found
