"""Which candidate sites reach each demand point, grouped by the same sites (issue 13).

At a million demand points and 20,000 sites within 100 km, there are ~100 million (point, site)
pairs. Points and sites become 3-D unit vectors: a site reaches a point within r km exactly
when their dot product is at least cos(r / R), the haversine's test in one multiply-add per
pair, so each grid cell's points meet their neighbouring sites in one matrix product (BLAS)
written into a reused buffer. Cells are latitude bands at least one reach high, cut in
longitude by the reach at the band's poleward edge; a cell's points meet the sites of the
three bands around it within that longitude reach (the wrap at ±180° included). Points of a
cell reached by the same sites (the same row of the product) are merged there, and groups of
different cells with the same sites are merged after by a 128-bit set hash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from itinera.domain.earth import EARTH_RADIUS_KM

__all__ = ["ReachGroups", "reach_groups", "set_hashes"]

_MIN_BAND_DEGREES = 0.5  # a floor on the cell size: few cells, whatever the reach
_ROWS = 4096  # points per matrix product at most (the buffers stay ~ _ROWS × sites nearby)

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True)
class ReachGroups:
    """Demand groups: group g is reached by ``sites[heads[g]:heads[g+1]]`` (ascending), weighs
    ``weights[g]`` and first appears at demand point ``first[g]``; groups in that order."""

    weights: Floats
    heads: Ints
    sites: NDArray[np.int32]
    first: Ints
    unreachable: float  # weight of the points no site reaches


def set_hashes(sites: NDArray[np.int32], heads: Ints, count: int) -> Ints:
    """Two independent 64-bit sums of random salts of each group's sites (a collision between
    different sets is about as likely as 2^-100 at this scale), the same in every run."""
    return _hashes(_salts(count), sites, heads)


def _salts(count: int) -> Ints:
    return np.random.default_rng(20_13).integers(
        0, np.iinfo(np.int64).max, size=(2, max(1, count)), dtype=np.int64
    )


def _hashes(salts: Ints, sites: NDArray[np.int32], heads: Ints) -> Ints:
    keys = np.zeros((len(heads) - 1, 2), dtype=np.int64)
    if len(sites):
        with np.errstate(over="ignore"):
            keys[:, 0] = np.add.reduceat(salts[0][sites], heads[:-1])
            keys[:, 1] = np.add.reduceat(salts[1][sites], heads[:-1])
    return keys


def reach_groups(
    site_lats: Floats,
    site_lons: Floats,
    lats: Floats,
    lons: Floats,
    weights: Floats,
    radius_km: float,
) -> ReachGroups:
    """The groups of the points ``lats``, ``lons`` (weights added) by the sites within
    ``radius_km``; see the module's description."""
    angle = radius_km / EARTH_RADIUS_KM
    band = max(math.degrees(angle), _MIN_BAND_DEGREES)
    sites = _Sites(site_lats, site_lons, band)
    points = _unit(lats, lons)
    least = math.cos(angle)
    rows = np.floor((lats + 90.0) / band).astype(np.int64)
    reach = np.array([_lon_reach(r, band, angle) for r in range(int(rows.max(initial=0)) + 1)])
    width = np.maximum(reach, band)[rows]
    cols = np.floor((lons + 180.0) / width).astype(np.int64)
    order = np.lexsort((cols, rows))  # stable: input order within a cell
    code = rows[order] * (1 << 32) + cols[order]
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    ends = np.r_[starts[1:], len(order)]
    merged = _Merger(len(site_lats))
    unreachable = 0.0
    buffer = _Buffers()
    for begin, end in zip(starts.tolist(), ends.tolist(), strict=True):
        cell = order[begin:end]
        row = int(rows[cell[0]])
        near = sites.near(row, float(lons[cell].min()), float(lons[cell].max()), reach[row])
        for at in range(0, len(cell), _ROWS):
            chunk = cell[at : at + _ROWS]
            found, lost = _cell_groups(points[chunk], sites.vectors[near], least, buffer)
            unreachable += float(weights[chunk][lost].sum())
            for local, (columns, lengths), first in found:
                hit = local >= 0
                group_weights: Floats = np.bincount(
                    local[hit], weights=weights[chunk][hit], minlength=len(lengths)
                ).astype(np.float64)
                merged.add(group_weights, lengths, near[columns], chunk[first])
    return merged.result(unreachable)


class _Sites:
    """The sites sorted by (band, longitude), as unit vectors, with each band's slice."""

    def __init__(self, lats: Floats, lons: Floats, band: float) -> None:
        rows = np.floor((lats + 90.0) / band).astype(np.int64)
        self.order = np.lexsort((lons, rows))
        self.rows, self.lons = rows[self.order], lons[self.order]
        self.vectors = _unit(lats, lons)
        self.band_starts = np.searchsorted(self.rows, np.arange(int(180.0 / band) + 4))

    def near(self, row: int, west: float, east: float, reach: float) -> NDArray[np.int32]:
        """The sites (ascending numbers) of bands row-1..row+1 within ``reach`` degrees of
        longitude of [west, east], across the antimeridian too."""
        spans = [(west - reach, east + reach)]
        if reach >= 180.0:
            spans = [(-360.0, 360.0)]
        elif spans[0][0] < -180.0:
            spans.append((spans[0][0] + 360.0, 360.0))
        elif spans[0][1] > 180.0:
            spans.append((-360.0, spans[0][1] - 360.0))
        found = []
        for r in range(max(0, row - 1), row + 2):
            lo, hi = self.band_starts[r], self.band_starts[r + 1]
            for left, right in spans:
                a = lo + np.searchsorted(self.lons[lo:hi], left, side="left")
                b = lo + np.searchsorted(self.lons[lo:hi], right, side="right")
                found.append(self.order[a:b])
        return np.unique(np.concatenate(found)).astype(np.int32)


class _Buffers:
    """The product and its test, reused from cell to cell (fresh temporaries of ~5 million
    pairs per chunk cost most of the time in page faults)."""

    def __init__(self) -> None:
        self.dots = np.empty(0, dtype=np.float64)
        self.inside = np.empty(0, dtype=bool)

    def shaped(self, rows: int, cols: int) -> tuple[Floats, NDArray[np.bool_]]:
        if rows * cols > len(self.dots):
            self.dots = np.empty(rows * cols * 2, dtype=np.float64)
            self.inside = np.empty(rows * cols * 2, dtype=bool)
        size = rows * cols
        return self.dots[:size].reshape(rows, cols), self.inside[:size].reshape(rows, cols)


def _cell_groups(
    points: Floats, vectors: Floats, least: float, buffer: _Buffers
) -> tuple[list[tuple[Ints, tuple[NDArray[np.int64], Ints], Ints]], NDArray[np.bool_]]:
    """One cell's points against its sites: [(each reached point's group, (each group's sites
    as columns, their count per group), each group's first point)] and the points reached by
    none. Groups are the distinct rows of the product's test, found on its packed bits."""
    if not len(vectors):
        return [], np.ones(len(points), dtype=bool)
    dots, inside = buffer.shaped(len(points), len(vectors))
    np.matmul(points, vectors.T, out=dots)
    np.greater_equal(dots, least, out=inside)
    packed = np.packbits(inside, axis=1)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1])))[:, 0]
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    distinct = inside[first]
    counts = distinct.sum(axis=1)
    reached = counts > 0
    lost = ~reached[inverse]
    if not reached.any():
        return [], lost
    renumber = np.cumsum(reached) - 1
    local = np.where(lost, -1, renumber[inverse])
    _, columns = np.nonzero(distinct[reached])
    return [(local, (columns, counts[reached]), first[reached])], lost


def _lon_reach(row: int, band: float, angle: float) -> float:
    """Degrees of longitude a point of band ``row`` can reach: the widest cap, at the band's
    poleward edge (asin(sin r / cos φ)); the whole circle near a pole."""
    poleward = min(90.0, max(abs(-90.0 + row * band), abs(-90.0 + (row + 1) * band)))
    if math.radians(poleward) + angle >= math.pi / 2:
        return 180.0
    spread = math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(poleward))))
    return math.degrees(spread) * (1 + 1e-9) + 1e-9


def _unit(lats: Floats, lons: Floats) -> Floats:
    phi, lam = np.radians(lats), np.radians(lons)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


class _Merger:
    """Groups of cell after cell, those with the same sites as an earlier one added to it
    (found by the set hash, one dictionary look-up a group); in the end in order of first
    point, each kept with the sites of its first appearance."""

    def __init__(self, count: int) -> None:
        self.salts = _salts(count)
        self.known: dict[tuple[int, int], int] = {}
        self.ids: list[Ints] = []
        self.weights: list[Floats] = []
        self.firsts: list[Ints] = []
        self.sites: list[NDArray[np.int32]] = []  # of each new group, group after group
        self.lengths: list[Ints] = []

    def add(self, weights: Floats, lengths: Ints, sites: NDArray[np.int32], first: Ints) -> None:
        heads = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        keys = _hashes(self.salts, sites, heads)
        ids = np.empty(len(weights), dtype=np.int64)
        new = np.zeros(len(weights), dtype=bool)
        for n, key in enumerate(map(tuple, keys.tolist())):
            size = len(self.known)
            ids[n] = found = self.known.setdefault(key, size)
            new[n] = found == size
        self.ids.append(ids)
        self.weights.append(weights)
        self.firsts.append(first)
        if new.any():
            picked = np.repeat(new, lengths)
            self.sites.append(sites[picked])
            self.lengths.append(lengths[new])

    def result(self, unreachable: float) -> ReachGroups:
        count = len(self.known)
        if not count:
            empty = np.zeros(0, dtype=np.int64)
            return ReachGroups(
                np.zeros(0), np.zeros(1, dtype=np.int64), empty.astype(np.int32), empty, unreachable
            )
        ids = np.concatenate(self.ids)
        summed = np.bincount(ids, weights=np.concatenate(self.weights), minlength=count)
        totals: Floats = summed.astype(np.float64, copy=False)
        first = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, ids, np.concatenate(self.firsts))
        lengths = np.concatenate(self.lengths)
        sites = np.concatenate(self.sites)
        heads = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        order = np.argsort(first, kind="stable")
        bounds = zip(heads[order].tolist(), heads[order + 1].tolist(), strict=True)
        ordered = np.concatenate([sites[a:b] for a, b in bounds])
        new_heads = np.concatenate(([0], np.cumsum(lengths[order]))).astype(np.int64)
        return ReachGroups(totals[order], new_heads, ordered, first[order], unreachable)
