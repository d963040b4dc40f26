"""Siting new hubs (C5): 2,000 candidate sites, 50,000 demand points, k = 10.

Goal: solved to a proven optimality gap of at most 1 % within 60 s; report the covered demand
against the greedy heuristic's on the same instance (the baseline, in the same run).
Demand: points along all eight routes' legs, up to ±40 km off the line, with flow weights
(1–499 per point, heavier near named stops) — a stand-in for flow- and risk-weighted demand.

    .venv/bin/python benchmarks/services_siting.py [--demand 50000] [--candidates 2000] [--k 10]
"""

from __future__ import annotations

import argparse
import math
import random
import time

from services_coverage import route_legs  # type: ignore[import-not-found]

from itinera.domain.demand import DemandPoint
from itinera.domain.siting import Candidate, build_instance, greedy
from itinera.domain.spatial import KM_PER_DEGREE
from itinera.engines.siting import OrToolsMclpSolver


def scatter(
    legs: list, count: int, spread_km: float, rng: random.Random
) -> list[tuple[float, float]]:
    from itinera.domain.coverage import point_along

    land = [leg for leg in legs if leg.mode != "sea"]
    lengths = [leg.length_km() for leg in land]
    found = []
    for _ in range(count):
        leg = rng.choices(land, weights=lengths)[0]
        lat, lon = point_along(leg, rng.uniform(0, leg.length_km()))
        lat += rng.uniform(-spread_km, spread_km) / KM_PER_DEGREE
        lon += rng.uniform(-spread_km, spread_km) / (
            KM_PER_DEGREE * max(0.2, math.cos(math.radians(lat)))
        )
        found.append((lat, lon))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demand", type=int, default=50_000)
    parser.add_argument("--candidates", type=int, default=2_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--radius-km", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    legs = [leg for route in route_legs().values() for leg in route]
    demand = [
        DemandPoint(lat, lon, float(rng.randint(1, 499)), "leg")
        for lat, lon in scatter(legs, args.demand, 40.0, rng)
    ]
    sites = [
        Candidate(i, lat, lon, f"site {i}")
        for i, (lat, lon) in enumerate(scatter(legs, args.candidates, 20.0, rng))
    ]

    started = time.perf_counter()
    instance = build_instance(sites, demand, args.radius_km)
    built = time.perf_counter() - started
    print(
        f"{len(demand):,} demand points × {len(sites):,} candidates, "
        f"reach {args.radius_km:g} km, k={args.k}"
    )
    print(
        f"coverage sets built and reduced in {built:.2f} s: "
        f"{len(instance.groups):,} demand groups, unreachable weight {instance.unreachable:,.0f}"
    )

    started = time.perf_counter()
    chosen, gains = greedy(instance, args.k)
    greedy_s = time.perf_counter() - started
    greedy_covered = sum(gains)
    print(f"greedy (baseline): covers {greedy_covered:,.0f} in {greedy_s:.2f} s")

    result = OrToolsMclpSolver(relative_gap=0.0).solve(instance, args.k, time_limit_s=60.0)
    total = sum(d.weight for d in demand)
    print(
        f"exact ({result.solver}): covers {result.objective:,.0f} of {total:,.0f}; bound "
        f"{result.bound:,.0f}; gap {result.gap:.4%}; proven optimal {result.proven_optimal}; "
        f"{result.seconds:.2f} s"
    )
    print(
        f"exact − greedy: {result.objective - greedy_covered:+,.0f} "
        f"({(result.objective - greedy_covered) / greedy_covered:+.3%}); "
        f"end to end {built + result.seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
