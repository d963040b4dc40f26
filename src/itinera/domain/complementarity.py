"""Complementarity along a route: coverage and gaps per service type, duplicates.

Default coverage distances per service type are documented in docs/services-map.md; a
deployment overrides them with ``ITINERA_SERVICES_COVERAGE_KM``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
from rapidfuzz import fuzz

from itinera.domain.coverage import Gap, LegLine, cover_legs
from itinera.domain.demand import DemandPoint
from itinera.domain.grid_arrays import GridArrays
from itinera.domain.spatial import GridIndex

__all__ = [
    "DEFAULT_COVERAGE_KM",
    "DuplicateGroup",
    "Facility",
    "SamePlacePair",
    "TypeCoverage",
    "coverage_by_type",
    "duplicate_offers",
    "same_place_pairs",
    "type_indexes",
]

DEFAULT_RADIUS_KM = 50.0
DEFAULT_COVERAGE_KM: dict[str, float] = {
    # reachable on foot or by a short ride from the route: people need them where they are
    "health-first-aid": 25.0,
    "food-water": 25.0,
    "sanitation": 10.0,
    "shelter": 25.0,
    "safe-spaces": 25.0,
    "child-protection": 50.0,
    "gbv-response": 50.0,
    "mhpss": 50.0,
    # worth a longer detour: a day's travel
    "registration": 100.0,
    "legal-aid": 100.0,
    "information-referral": 50.0,
    "restoring-family-links": 100.0,
    "cash": 50.0,
    "voluntary-return-support": 150.0,
    "education": 50.0,
    "livelihoods-vocational-training": 50.0,
}


@dataclass(frozen=True)
class Facility:
    """What the analysis needs of a service point."""

    key: int
    lat: float
    lon: float
    service_types: frozenset[str]
    organisation_ids: frozenset[int] = frozenset()
    name: str = ""


@dataclass(frozen=True)
class TypeCoverage:
    service_type: str
    radius_km: float
    length_km: float
    covered_km: float
    demand_total: float
    demand_covered: float
    gaps: tuple[Gap, ...]
    uncovered_hotspots: tuple[DemandPoint, ...]
    providers: int  # service points offering it within reach of the route

    @property
    def share_length(self) -> float:
        return self.covered_km / self.length_km if self.length_km else 0.0

    @property
    def share_demand(self) -> float:
        return self.demand_covered / self.demand_total if self.demand_total else 0.0


def type_indexes(
    facilities: Sequence[Facility], service_types: Sequence[str]
) -> dict[str, GridIndex]:
    """One grid index (0.5° cells, measured best in benchmarks/services_coverage.py) per
    service type, of the facilities offering it.

    Built in columns, every pass over the facilities in C (``map``, ``attrgetter``): each row
    gets the number of its set of types (a few thousand distinct sets however many points),
    and each type takes the rows whose set names it."""
    count = len(facilities)

    def column(name: str, dtype: type) -> np.ndarray:
        return np.fromiter(map(attrgetter(name), facilities), dtype=dtype, count=count)

    sets = list(map(attrgetter("service_types"), facilities))
    number = {types: i for i, types in enumerate(dict.fromkeys(sets))}
    set_of_row = np.fromiter(map(number.__getitem__, sets), dtype=np.int64, count=count)
    names = np.array([[code in types for code in service_types] for types in number], dtype=bool)
    offers = names.reshape(len(number), len(service_types))[set_of_row]
    keys, lats, lons = column("key", np.int64), column("lat", np.float64), column("lon", np.float64)
    indexes = {}
    for i, code in enumerate(service_types):
        rows = np.flatnonzero(offers[:, i])
        grid = GridArrays.from_arrays(keys[rows], lats[rows], lons[rows], 0.5)
        indexes[code] = GridIndex.from_arrays(grid)
    return indexes


def coverage_by_type(
    legs: Sequence[LegLine],
    facilities: Sequence[Facility],
    demand: Sequence[DemandPoint],
    service_types: Sequence[str],
    radius_for: Callable[[str], float],
    *,
    indexes: Mapping[str, GridIndex] | None = None,
) -> list[TypeCoverage]:
    """Coverage of the legs and of the demand for each service type.

    ``indexes`` (from :func:`type_indexes`) lets several routes share one index per type.
    """
    indexes = indexes or type_indexes(facilities, service_types)
    result: list[TypeCoverage] = []
    demand_total = sum(d.weight for d in demand)
    demand_lats = np.array([d.lat for d in demand], dtype=np.float64)
    demand_lons = np.array([d.lon for d in demand], dtype=np.float64)
    weights = np.array([d.weight for d in demand], dtype=np.float64)
    hotspots = np.array([d.kind == "hotspot" for d in demand], dtype=bool)
    for code in service_types:
        radius = radius_for(code)
        index = indexes[code]
        covers = cover_legs(legs, index, radius)
        # cells small enough that a point in a demand point's own cell is within the radius
        reached = index.arrays(radius * 0.7).any_within(demand_lats, demand_lons, radius)
        covered_demand = float(weights[reached].sum())
        uncovered = [demand[i] for i in np.flatnonzero(~reached & hotspots).tolist()]
        providers = frozenset().union(*(c.contributors for c in covers))
        result.append(
            TypeCoverage(
                code,
                radius,
                sum(c.length_km for c in covers),
                sum(c.covered_km for c in covers),
                demand_total,
                covered_demand,
                tuple(g for c in covers for g in c.gaps()),
                tuple(uncovered),
                len(providers),
            )
        )
    return result


@dataclass(frozen=True)
class DuplicateGroup:
    """The same service type offered by two or more organisations within a radius."""

    service_type: str
    facility_keys: tuple[int, ...]
    organisation_ids: tuple[int, ...]


def duplicate_offers(
    facilities: Sequence[Facility], radius_km: float, service_types: Sequence[str] | None = None
) -> list[DuplicateGroup]:
    by_key = {f.key: f for f in facilities}
    codes = service_types or sorted({c for f in facilities for c in f.service_types})
    groups: list[DuplicateGroup] = []
    for code in codes:
        offering = [f for f in facilities if code in f.service_types and f.organisation_ids]
        index = GridIndex([(f.key, f.lat, f.lon) for f in offering], cell_degrees=0.25)
        parent = {f.key: f.key for f in offering}
        for f in offering:
            for other, _ in index.within(f.lat, f.lon, radius_km):
                if other != f.key and not (f.organisation_ids & by_key[other].organisation_ids):
                    parent[_find(parent, other)] = _find(parent, f.key)
        clusters: dict[int, list[int]] = {}
        for f in offering:
            clusters.setdefault(_find(parent, f.key), []).append(f.key)
        for keys in clusters.values():
            if len(keys) > 1:
                orgs = sorted({o for k in keys for o in by_key[k].organisation_ids})
                groups.append(DuplicateGroup(code, tuple(sorted(keys)), tuple(orgs)))
    return groups


def _find(parent: dict[int, int], key: int) -> int:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


@dataclass(frozen=True)
class SamePlacePair:
    """Two records that look like the same place entered twice."""

    first: int
    second: int
    distance_km: float
    name_similarity: float


def same_place_pairs(
    facilities: Sequence[Facility],
    radius_km: float = 0.25,
    min_similarity: float = 85.0,
    names: Mapping[int, str] | None = None,
) -> list[SamePlacePair]:
    """Pairs closer than ``radius_km`` whose names match (token-set ratio ≥ ``min_similarity``),
    or at the very same coordinates run by the same organisation."""
    index = GridIndex([(f.key, f.lat, f.lon) for f in facilities], cell_degrees=0.05)
    by_key = {f.key: f for f in facilities}
    pairs: list[SamePlacePair] = []
    for f in facilities:
        for other, distance in index.within(f.lat, f.lon, radius_km):
            if other <= f.key:
                continue
            g = by_key[other]
            a, b = (names or {}).get(f.key, f.name), (names or {}).get(other, g.name)
            similarity = fuzz.token_set_ratio(a.casefold(), b.casefold())
            same_operator = bool(f.organisation_ids & g.organisation_ids)
            if similarity >= min_similarity or (distance < 0.001 and same_operator):
                pairs.append(SamePlacePair(f.key, other, round(distance, 3), round(similarity, 1)))
    return pairs
