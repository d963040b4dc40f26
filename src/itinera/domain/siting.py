"""Siting new hubs: the maximal covering location problem (Church & ReVelle 1974).

Choose k candidate sites that maximise the demand newly covered within a distance. The
instance is reduced exactly before solving: demand already covered by existing service
points, or out of reach of every candidate, is dropped, and demand points reached by the
same set of candidates are merged (their weights add). An exact solver (``engines.siting``)
and the greedy heuristic both work on the reduced instance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Protocol

import numpy as np

from itinera.domain.demand import DemandPoint
from itinera.domain.grid_arrays import GridArrays, haversine_array

__all__ = [
    "Candidate",
    "CoverArrays",
    "MclpInstance",
    "MclpSolver",
    "SolverResult",
    "build_instance",
    "covered_weight",
    "greedy",
    "greedy_sites",
    "marginal_gains",
    "padded",
    "upper_bound",
]

_CHUNK = 50_000  # demand points per array pass: ~66 candidate pairs each at 100 km


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
    # the same groups in arrays when ``build_instance`` made them (flattening 37 million
    # tuple members again takes ~10 s)
    arrays: CoverArrays | None = field(default=None, compare=False, repr=False)

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


@dataclass(frozen=True)
class CoverArrays:
    """The (group, candidate) incidence of an ``MclpInstance`` as two aligned arrays, sorted
    by group, plus each candidate's groups."""

    weights: np.ndarray  # per group
    group: np.ndarray  # per incidence entry: its group …
    site: np.ndarray  # … and its candidate
    group_heads: np.ndarray  # group g's entries are group_heads[g]:group_heads[g+1]
    site_heads: np.ndarray  # candidate j's groups are site_groups[site_heads[j]:site_heads[j+1]]
    site_groups: np.ndarray

    @classmethod
    def of(cls, instance: MclpInstance) -> CoverArrays:
        if instance.arrays is not None:
            return instance.arrays
        lengths = np.fromiter(map(len, instance.groups), np.int64, len(instance.groups))
        site = np.fromiter(chain.from_iterable(instance.groups), np.int64, int(lengths.sum()))
        return cls.of_sites(instance.weights, lengths, site, len(instance.candidates))

    @classmethod
    def of_sites(
        cls,
        weights: Sequence[float] | np.ndarray,
        lengths: np.ndarray,
        site: np.ndarray,
        sites: int,
    ) -> CoverArrays:
        """From each group's number of sites and all their sites, group after group."""
        group = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        per_site = np.bincount(site, minlength=sites)
        return cls(
            np.asarray(weights, dtype=np.float64),
            group,
            site,
            np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
            np.concatenate(([0], np.cumsum(per_site))).astype(np.int64),
            group[np.argsort(site, kind="stable")],
        )

    @property
    def sites(self) -> int:
        return len(self.site_heads) - 1

    def groups_of(self, j: int) -> np.ndarray:
        return self.site_groups[self.site_heads[j] : self.site_heads[j + 1]]

    def counts(self, chosen: Sequence[int] | np.ndarray) -> np.ndarray:
        """How many chosen sites reach each group."""
        picked = np.zeros(self.sites, dtype=bool)
        picked[np.asarray(chosen, dtype=np.int64)] = True
        return np.bincount(self.group[picked[self.site]], minlength=len(self.weights))

    def restricted(self, keep: np.ndarray) -> tuple[CoverArrays, np.ndarray]:
        """The incidence of the sites ``keep`` (distinct, ascending) alone, numbered in that
        order, over the groups they reach; and those groups' numbers here. Exact for any
        choice of sites within ``keep``."""
        local = np.full(self.sites, -1, dtype=np.int64)
        local[keep] = np.arange(len(keep))
        inside = local[self.site] >= 0
        groups, renumbered = np.unique(self.group[inside], return_inverse=True)
        lengths = np.bincount(renumbered.reshape(-1), minlength=len(groups))
        part = CoverArrays.of_sites(
            self.weights[groups], lengths, local[self.site[inside]], len(keep)
        )
        return part, groups

    def merged(self) -> tuple[CoverArrays, np.ndarray]:
        """Groups reached by exactly the same sites made one (weights added; found by the set
        hash of ``build_instance``): the same LP and the same coverage of any choice, in fewer
        rows. Also each group's merged group."""
        if not len(self.weights):
            return self, np.zeros(0, dtype=np.int64)
        salts = _salts(self.sites)
        keys = np.empty((len(self.weights), 2), dtype=np.int64)
        with np.errstate(over="ignore"):
            keys[:, 0] = np.add.reduceat(salts[0][self.site], self.group_heads[:-1])
            keys[:, 1] = np.add.reduceat(salts[1][self.site], self.group_heads[:-1])
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        entries, lengths = self.entries_of(first)
        weights = np.bincount(inverse, weights=self.weights, minlength=len(first))
        return CoverArrays.of_sites(weights, lengths, self.site[entries], self.sites), inverse

    def entries_of(self, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The incidence entries of ``groups``, group after group, and how many each has."""
        starts = self.group_heads[groups]
        lengths = self.group_heads[groups + 1] - starts
        offsets = np.cumsum(lengths) - lengths
        return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum())), lengths

    def site_totals(self) -> np.ndarray:
        """The demand each site reaches on its own."""
        return np.bincount(self.site, weights=self.weights[self.group], minlength=self.sites)

    def covered(self, chosen: Sequence[int] | np.ndarray) -> float:
        return float(self.weights[self.counts(chosen) > 0].sum())


def build_instance(
    candidates: Sequence[Candidate],
    demand: Sequence[DemandPoint],
    radius_km: float,
    existing: Sequence[tuple[float, float]] = (),
) -> MclpInstance:
    """Coverage sets through the grid index in arrays, then the exact reduction described above.

    Demand points are taken in chunks (bounded memory at a million points). Points with the
    same reach are found by two independent 64-bit sums of random salts of their candidates (a
    128-bit set hash: a collision between different sets is about as likely as 2^-100 at this
    scale); groups keep the order of their first demand point.
    """
    cell = max(0.05, radius_km / 111.0)
    lats = np.fromiter((d.lat for d in demand), np.float64, len(demand))
    lons = np.fromiter((d.lon for d in demand), np.float64, len(demand))
    weights = np.fromiter((d.weight for d in demand), np.float64, len(demand))
    near_existing = np.zeros(len(demand), dtype=bool)
    if existing:
        points = ((i, lat, lon) for i, (lat, lon) in enumerate(existing))
        near_existing = GridArrays(points, cell).any_within(lats, lons, radius_km)
    sites = GridArrays(((i, c.lat, c.lon) for i, c in enumerate(candidates)), cell)
    salts = _salts(len(candidates))
    group_of: dict[tuple[int, int], int] = {}
    groups: list[tuple[int, ...]] = []
    members: list[np.ndarray] = []
    totals: list[float] = []
    unreachable = 0.0
    todo = np.flatnonzero(~near_existing)
    for start in range(0, len(todo), _CHUNK):
        chunk = todo[start : start + _CHUNK]
        reach, sets, keys = _reach(sites, lats[chunk], lons[chunk], radius_km, salts)
        unreachable += float(weights[chunk][~reach].sum())
        found, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        sums = np.bincount(inverse.reshape(-1), weights=weights[chunk][reach])
        for u in np.argsort(first, kind="stable").tolist():
            key = (int(found[u, 0]), int(found[u, 1]))
            g = group_of.get(key)
            if g is None:
                g = group_of[key] = len(groups)
                members.append(sets(int(first[u])).copy())  # not a view: the chunk goes
                groups.append(tuple(members[-1].tolist()))
                totals.append(0.0)
            totals[g] += float(sums[u])
    already = float(weights[near_existing].sum())
    lengths = np.fromiter(map(len, members), np.int64, len(members))
    site = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    arrays = CoverArrays.of_sites(totals, lengths, site.astype(np.int64), len(candidates))
    return MclpInstance(
        tuple(candidates), tuple(totals), tuple(groups), len(demand), already, unreachable, arrays
    )


def _salts(sites: int) -> np.ndarray:
    """Two random 64-bit salts per site, the same in every run."""
    return np.random.default_rng(20_13).integers(
        0, np.iinfo(np.int64).max, size=(2, max(1, sites)), dtype=np.int64
    )


def _reach(
    sites: GridArrays, lats: np.ndarray, lons: np.ndarray, radius_km: float, salts: np.ndarray
) -> tuple[np.ndarray, Callable[[int], np.ndarray], np.ndarray]:
    """For a chunk of demand: which points some candidate reaches, a function giving the
    sorted candidate set of the n-th reached point, and each reached point's set hash."""
    query, point = sites.candidate_pairs(lats, lons, np.full(len(lats), radius_km))
    near = haversine_array(lats[query], lons[query], sites.lats[point], sites.lons[point])
    query, site = query[near <= radius_km], sites.keys[point[near <= radius_km]]
    order = np.lexsort((site, query))
    query, site = query[order], site[order]
    counts = np.bincount(query, minlength=len(lats))
    reach = counts > 0
    heads = np.concatenate(([0], np.cumsum(counts[reach])[:-1])).astype(np.int64)
    keys = np.empty((int(reach.sum()), 2), dtype=np.int64)
    if len(site):
        with np.errstate(over="ignore"):
            keys[:, 0] = np.add.reduceat(salts[0][site], heads)
            keys[:, 1] = np.add.reduceat(salts[1][site], heads)
    lengths = counts[reach]

    def sets(n: int) -> np.ndarray:
        return site[heads[n] : heads[n] + lengths[n]]

    return reach, sets, keys


def covered_weight(instance: MclpInstance, chosen: Sequence[int]) -> float:
    picked = set(chosen)
    return sum(w for w, g in zip(instance.weights, instance.groups, strict=True) if picked & set(g))


def greedy(instance: MclpInstance, k: int) -> tuple[tuple[int, ...], list[float]]:
    """Greedy: each step adds the site with the largest marginal gain (the first on a tie).

    Returns the chosen candidate indices and the demand each one added, in order.
    """
    return greedy_sites(CoverArrays.of(instance), k)


def greedy_sites(arrays: CoverArrays, k: int) -> tuple[tuple[int, ...], list[float]]:
    """:func:`greedy` in arrays: the gains are kept up to date by taking away, for every site
    of each newly covered group, that group's weight (each incidence entry once in all)."""
    gain = arrays.site_totals()
    covered = np.zeros(len(arrays.weights), dtype=bool)
    chosen: list[int] = []
    gains: list[float] = []
    while len(chosen) < min(k, arrays.sites):
        c = int(np.argmax(gain))
        mine = arrays.groups_of(c)
        new = mine[~covered[mine]]
        added = float(arrays.weights[new].sum())  # exact, where ``gain`` carries rounding
        if added <= 0:
            break
        chosen.append(c)
        gains.append(added)
        covered[new] = True
        entries, lengths = arrays.entries_of(new)
        taken = np.repeat(arrays.weights[new], lengths)
        gain -= np.bincount(arrays.site[entries], weights=taken, minlength=arrays.sites)
        gain[c] = -np.inf
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
    arrays = CoverArrays.of(instance)
    per_site = arrays.site_totals()
    largest = np.sort(per_site)[::-1][: max(0, k)]
    return min(float(arrays.weights.sum()), float(largest.sum()))
