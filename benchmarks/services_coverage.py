"""Coverage and gap analysis for 20,000 service points along all eight routes (C5).

Goal: under 2 s with the spatial index. Baseline in the same run: a brute-force all-pairs
computation of the same results (NumPy, vectorised: every piece of every leg against every
point offering the type, every demand point against every such point); both must agree.

    .venv/bin/python benchmarks/services_coverage.py [--points 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import random
import time

import numpy as np

from itinera.domain.complementarity import (
    DEFAULT_COVERAGE_KM,
    Facility,
    coverage_by_type,
    type_indexes,
)
from itinera.domain.coverage import PIECE_KM, LegLine, _pieces, merge_intervals, point_along
from itinera.domain.demand import sample_legs
from itinera.domain.geometry import route_features
from itinera.domain.spatial import EARTH_RADIUS_KM, KM_PER_DEGREE
from itinera.reference.catalogue import load_catalogue


def route_legs() -> dict[str, list[LegLine]]:
    catalogue = load_catalogue()
    legs: dict[str, list[LegLine]] = {}
    for route in catalogue.routes.values():
        legs[route.id] = [
            LegLine(
                route.id,
                f["properties"]["leg"],
                f["properties"]["mode"],
                tuple((lat, lon) for lon, lat in f["geometry"]["coordinates"]),
            )
            for f in route_features(route, catalogue.places)
        ]
    return legs


def facilities_along(
    legs: list[LegLine], count: int, codes: list[str], rng: random.Random
) -> list[Facility]:
    lengths = [leg.length_km() for leg in legs]
    found = []
    for key in range(count):
        leg = rng.choices(legs, weights=lengths)[0]
        lat, lon = point_along(leg, rng.uniform(0, leg.length_km()))
        lat += rng.uniform(-60, 60) / KM_PER_DEGREE
        lon += rng.uniform(-60, 60) / (KM_PER_DEGREE * max(0.2, math.cos(math.radians(lat))))
        types = frozenset(rng.sample(codes, rng.randint(1, 4)))
        found.append(Facility(key, lat, lon, types, frozenset({rng.randint(1, 300)})))
    return found


def brute_force(
    legs: list[LegLine], facilities: list[Facility], demand: list, codes: list[str]
) -> dict[str, tuple[float, float]]:
    """covered km and covered demand per type, every pair computed."""
    pieces = np.array([p for leg in legs for p in _pieces(leg, PIECE_KM)])
    leg_of = np.array([i for i, leg in enumerate(legs) for _ in _pieces(leg, PIECE_KM)])
    d_lat = np.radians([d.lat for d in demand])
    d_lon = np.radians([d.lon for d in demand])
    d_w = np.array([d.weight for d in demand])
    result = {}
    for code in codes:
        radius = DEFAULT_COVERAGE_KM.get(code, 50.0)
        pts = np.array([(f.lat, f.lon) for f in facilities if code in f.service_types])
        offset, length, lat_a, lon_a, lat_b, lon_b = pieces.T
        lat0, lon0 = (lat_a + lat_b) / 2, (lon_a + lon_b) / 2
        k = KM_PER_DEGREE * np.cos(np.radians(lat0))
        ax, ay = (lon_a - lon0) * k, (lat_a - lat0) * KM_PER_DEGREE
        bx, by = (lon_b - lon0) * k, (lat_b - lat0) * KM_PER_DEGREE
        dx, dy = bx - ax, by - ay
        a = dx * dx + dy * dy
        px = (pts[None, :, 1] - lon0[:, None]) * k[:, None]
        py = (pts[None, :, 0] - lat0[:, None]) * KM_PER_DEGREE
        fx, fy = ax[:, None] - px, ay[:, None] - py
        b = 2 * (fx * dx[:, None] + fy * dy[:, None])
        c = fx * fx + fy * fy - radius * radius
        disc = b * b - 4 * a[:, None] * c
        root = np.sqrt(np.maximum(disc, 0))
        t1 = np.maximum(0.0, (-b - root) / (2 * a[:, None]))
        t2 = np.minimum(1.0, (-b + root) / (2 * a[:, None]))
        hit = (disc >= 0) & (t1 < t2)
        per_leg: dict[int, list[tuple[float, float]]] = {}
        for i, j in zip(*np.nonzero(hit), strict=True):
            per_leg.setdefault(int(leg_of[i]), []).append(
                (offset[i] + t1[i, j] * length[i], offset[i] + t2[i, j] * length[i])
            )
        covered_km = sum(e - s for ivs in per_leg.values() for s, e in merge_intervals(ivs))
        p_lat, p_lon = np.radians(pts[:, 0]), np.radians(pts[:, 1])
        covered = np.zeros(len(demand), dtype=bool)
        for start in range(0, len(demand), 2000):
            sl = slice(start, start + 2000)
            h = (
                np.sin((p_lat[None, :] - d_lat[sl, None]) / 2) ** 2
                + np.cos(d_lat[sl, None])
                * np.cos(p_lat[None, :])
                * np.sin((p_lon[None, :] - d_lon[sl, None]) / 2) ** 2
            )
            dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
            covered[sl] = (dist <= radius).any(axis=1)
        result[code] = (covered_km, float(d_w[covered].sum()))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    codes = sorted(DEFAULT_COVERAGE_KM)
    routes = route_legs()
    all_legs = [leg for legs in routes.values() for leg in legs]
    facilities = facilities_along(all_legs, args.points, codes, rng)
    total_km = sum(leg.length_km() for leg in all_legs)
    print(
        f"{len(routes)} routes, {len(all_legs)} legs, {total_km:,.0f} km; "
        f"{len(facilities):,} points; {len(codes)} service types"
    )

    started = time.perf_counter()
    indexed = {}
    indexes = type_indexes(facilities, codes)
    for route_id, legs in routes.items():
        demand = sample_legs(legs)
        radius = DEFAULT_COVERAGE_KM.__getitem__
        for c in coverage_by_type(legs, facilities, demand, codes, radius, indexes=indexes):
            indexed[(route_id, c.service_type)] = (c.covered_km, c.demand_covered, len(c.gaps))
    with_index = time.perf_counter() - started
    gaps = sum(v[2] for v in indexed.values())
    print(
        f"grid index: {with_index:.2f} s for {len(indexed)} route × type analyses ({gaps:,} gaps)"
    )

    started = time.perf_counter()
    brute = {}
    for route_id, legs in routes.items():
        demand = sample_legs(legs)
        for code, value in brute_force(legs, facilities, demand, codes).items():
            brute[(route_id, code)] = value
    baseline = time.perf_counter() - started
    print(f"brute force all pairs (NumPy): {baseline:.2f} s; ratio {baseline / with_index:.1f}×")
    worst_km = max(abs(indexed[k][0] - brute[k][0]) for k in brute)
    worst_demand = max(abs(indexed[k][1] - brute[k][1]) for k in brute)
    print(
        f"agreement: max |Δ covered km| {worst_km:.6f}, max |Δ covered demand| {worst_demand:.6f}"
    )


if __name__ == "__main__":
    main()
