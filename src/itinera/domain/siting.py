"""Siting new hubs: the maximal covering location problem (Church & ReVelle 1974).

Choose k candidate sites that maximise the demand newly covered within a distance. The
instance is reduced exactly before solving: demand already covered by existing service
points, or out of reach of every candidate, is dropped, and demand points reached by the
same set of candidates are merged (their weights add). An exact solver (``engines.siting``)
and the greedy heuristic both work on the reduced instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Protocol, overload

import numpy as np

from itinera.domain.demand import DemandPoint
from itinera.domain.grid_arrays import GridArrays
from itinera.domain.siting_reach import reach_groups, set_hashes

__all__ = [
    "Candidate",
    "CoverArrays",
    "GroupSites",
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
    groups: Sequence[tuple[int, ...]]
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
        group = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        site = site.astype(np.int32, copy=False)
        per_site = np.bincount(site, minlength=sites)
        # a stable sort of 16-bit keys is a radix sort: 37 million entries in 1 s, not 5 s
        key = site.astype(np.uint16) if sites <= 1 << 16 else site
        return cls(
            np.asarray(weights, dtype=np.float64),
            group,
            site,
            np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
            np.concatenate(([0], np.cumsum(per_site))).astype(np.int64),
            group[np.argsort(key, kind="stable")],
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
        keys = set_hashes(self.site, self.group_heads, self.sites)
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
    """Coverage sets by unit vectors and one matrix product per grid cell
    (``domain.siting_reach``), then the exact reduction described above: points with the same
    reach merged, groups in order of their first demand point, kept in arrays."""
    lats = np.fromiter((d.lat for d in demand), np.float64, len(demand))
    lons = np.fromiter((d.lon for d in demand), np.float64, len(demand))
    weights = np.fromiter((d.weight for d in demand), np.float64, len(demand))
    near_existing = np.zeros(len(demand), dtype=bool)
    if existing:
        points = ((i, lat, lon) for i, (lat, lon) in enumerate(existing))
        cell = max(0.05, radius_km / 111.0)
        near_existing = GridArrays(points, cell).any_within(lats, lons, radius_km)
    todo = np.flatnonzero(~near_existing)
    site_lats = np.fromiter((c.lat for c in candidates), np.float64, len(candidates))
    site_lons = np.fromiter((c.lon for c in candidates), np.float64, len(candidates))
    found = reach_groups(site_lats, site_lons, lats[todo], lons[todo], weights[todo], radius_km)
    arrays = CoverArrays.of_sites(found.weights, np.diff(found.heads), found.sites, len(candidates))
    return MclpInstance(
        tuple(candidates),
        tuple(found.weights.tolist()),
        GroupSites(found.heads, found.sites),
        len(demand),
        float(weights[near_existing].sum()),
        found.unreachable,
        arrays,
    )


class GroupSites(SequenceABC[tuple[int, ...]]):
    """The groups' candidate tuples read from the arrays on demand: at a million points, 37
    million Python integers in tuples would take ~1.5 GB and seconds to make."""

    def __init__(self, heads: np.ndarray, sites: np.ndarray) -> None:
        self._heads, self._sites = heads, sites

    def __len__(self) -> int:
        return len(self._heads) - 1

    @overload
    def __getitem__(self, index: int) -> tuple[int, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[int, ...], ...]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return tuple(self[g] for g in range(len(self))[index])
        g = range(len(self))[index]
        return tuple(self._sites[self._heads[g] : self._heads[g + 1]].tolist())


def covered_weight(instance: MclpInstance, chosen: Sequence[int]) -> float:
    picked = set(chosen)
    return sum(w for w, g in zip(instance.weights, instance.groups, strict=True) if picked & set(g))


def greedy(instance: MclpInstance, k: int) -> tuple[tuple[int, ...], list[float]]:
    """Greedy: each step adds the site with the largest marginal gain (the first on a tie).

    Returns the chosen candidate indices and the demand each one added, in order.
    """
    return greedy_sites(CoverArrays.of(instance), k)


def greedy_sites(
    arrays: CoverArrays, k: int, first: Sequence[int] = ()
) -> tuple[tuple[int, ...], list[float]]:
    """:func:`greedy` in arrays: the gains are kept up to date by taking away, for every site
    of each newly covered group, that group's weight (each incidence entry once in all).
    ``first`` (distinct sites) are taken first, in that order, whatever their gain."""
    gain = arrays.site_totals()
    covered = np.zeros(len(arrays.weights), dtype=bool)
    chosen: list[int] = []
    gains: list[float] = []
    while len(chosen) < min(k, arrays.sites):
        c = int(first[len(chosen)]) if len(chosen) < len(first) else int(np.argmax(gain))
        mine = arrays.groups_of(c)
        new = mine[~covered[mine]]
        added = float(arrays.weights[new].sum())  # exact, where ``gain`` carries rounding
        if added <= 0 and len(chosen) >= len(first):
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
