"""Siting new hubs: the maximal covering location problem (Church & ReVelle 1974).

Choose k candidate sites that maximise the demand newly covered within a distance. The
instance is reduced exactly before solving: demand already covered by existing service
points, or out of reach of every candidate, is dropped, and demand points reached by the
same set of candidates are merged (their weights add). An exact solver (``engines.siting``)
and the greedy heuristic both work on the reduced instance.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from itinera.domain.demand import DemandPoint
from itinera.domain.spatial import GridIndex

__all__ = [
    "Candidate",
    "MclpInstance",
    "MclpSolver",
    "SolverResult",
    "build_instance",
    "covered_weight",
    "greedy",
    "marginal_gains",
    "padded",
    "upper_bound",
]


@dataclass(frozen=True)
class Candidate:
    key: int
    lat: float
    lon: float
    label: str = ""


@dataclass(frozen=True)
class MclpInstance:
    """``groups[g]`` is a tuple of candidate indices that reach demand group g of weight
    ``weights[g]``."""

    candidates: tuple[Candidate, ...]
    weights: tuple[float, ...]
    groups: tuple[tuple[int, ...], ...]
    demand_points: int  # before reduction
    already_covered: float  # demand weight the existing service points already reach
    unreachable: float  # demand weight no candidate reaches

    def by_candidate(self) -> list[list[int]]:
        covers: list[list[int]] = [[] for _ in self.candidates]
        for g, members in enumerate(self.groups):
            for c in members:
                covers[c].append(g)
        return covers


@dataclass(frozen=True)
class SolverResult:
    chosen: tuple[int, ...]  # candidate indices
    objective: float
    bound: float  # the solver's proven upper bound on the objective
    proven_optimal: bool
    seconds: float
    solver: str

    @property
    def gap(self) -> float:
        """Relative optimality gap (bound − objective) / bound; 0 when proven optimal."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


class MclpSolver(Protocol):
    name: str

    def solve(self, instance: MclpInstance, k: int, time_limit_s: float) -> SolverResult: ...


def build_instance(
    candidates: Sequence[Candidate],
    demand: Sequence[DemandPoint],
    radius_km: float,
    existing: Sequence[tuple[float, float]] = (),
) -> MclpInstance:
    """Coverage sets through a grid index, then the exact reduction described above."""
    cell = max(0.05, radius_km / 111.0)
    site_index = GridIndex(((i, c.lat, c.lon) for i, c in enumerate(candidates)), cell)
    existing_index = GridIndex(((i, lat, lon) for i, (lat, lon) in enumerate(existing)), cell)
    merged: dict[tuple[int, ...], float] = {}
    already = unreachable = 0.0
    for point in demand:
        if existing_index.size and existing_index.any_within(point.lat, point.lon, radius_km):
            already += point.weight
            continue
        reach = tuple(sorted(i for i, _ in site_index.within(point.lat, point.lon, radius_km)))
        if not reach:
            unreachable += point.weight
            continue
        merged[reach] = merged.get(reach, 0.0) + point.weight
    groups = tuple(merged)
    return MclpInstance(
        tuple(candidates),
        tuple(merged[g] for g in groups),
        groups,
        len(demand),
        already,
        unreachable,
    )


def covered_weight(instance: MclpInstance, chosen: Sequence[int]) -> float:
    picked = set(chosen)
    return sum(w for w, g in zip(instance.weights, instance.groups, strict=True) if picked & set(g))


def greedy(instance: MclpInstance, k: int) -> tuple[tuple[int, ...], list[float]]:
    """Lazy greedy: each step adds the site with the largest marginal gain.

    Returns the chosen candidate indices and the demand each one added, in order.
    """
    covers = instance.by_candidate()
    covered = [False] * len(instance.groups)
    heap = [(-sum(instance.weights[g] for g in gs), c) for c, gs in enumerate(covers)]
    heapq.heapify(heap)
    chosen: list[int] = []
    gains: list[float] = []
    while heap and len(chosen) < k:
        stale, c = heapq.heappop(heap)
        gain = sum(instance.weights[g] for g in covers[c] if not covered[g])
        if heap and gain < -heap[0][0] - 1e-12 and gain != -stale:
            heapq.heappush(heap, (-gain, c))
            continue
        if gain <= 0:
            break
        chosen.append(c)
        gains.append(gain)
        for g in covers[c]:
            covered[g] = True
    return tuple(chosen), gains


def marginal_gains(instance: MclpInstance, chosen: Sequence[int]) -> list[float]:
    """The demand each site adds when the sites are added in the given order."""
    covers = instance.by_candidate()
    covered: set[int] = set()
    gains: list[float] = []
    for c in chosen:
        new = [g for g in covers[c] if g not in covered]
        gains.append(sum(instance.weights[g] for g in new))
        covered.update(new)
    return gains


def padded(instance: MclpInstance, chosen: Sequence[int], k: int) -> tuple[int, ...]:
    """``chosen`` completed to exactly ``k`` sites (greedy stops when nothing is left to gain;
    the exact model asks for k sites, so a hint must name k)."""
    picked = list(dict.fromkeys(chosen))
    taken = set(picked)
    for c in range(len(instance.candidates)):
        if len(picked) >= k:
            break
        if c not in taken:
            picked.append(c)
    return tuple(picked[:k])


def upper_bound(instance: MclpInstance, k: int) -> float:
    """A bound no choice of k sites can beat, without a solver: all reachable demand, or the
    k largest single-site coverages added up, whichever is smaller."""
    per_site = [0.0] * len(instance.candidates)
    for w, members in zip(instance.weights, instance.groups, strict=True):
        for c in members:
            per_site[c] += w
    return min(sum(instance.weights), sum(heapq.nlargest(k, per_site)))
