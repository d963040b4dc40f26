"""The grid spatial index as NumPy arrays, for queries in bulk (decision 0006, 0009).

:class:`GridIndex` answers one query at a time in Python; coverage asks thousands (every piece
of every leg, every demand point) for each service type. Here the points are sorted by grid
cell, and a batch of queries becomes, in a handful of array operations, the (query, point)
pairs of every cell each query's circle can touch: the same superset as
:meth:`GridIndex.candidates`, then checked exactly by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from itinera.domain.earth import EARTH_RADIUS_KM, KM_PER_DEGREE

__all__ = ["GridArrays", "haversine_array"]

_OFFSET = 1 << 20  # cell rows/cols are shifted positive before being packed in one int64
_STRIDE = 1 << 21

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def haversine_array(lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats) -> Floats:
    """Great-circle distances in km, element by element (as :func:`spatial.haversine_km`)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    distances: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return distances


class GridArrays:
    """Points sorted by the cell of a ``cell_degrees`` grid, with each cell's slice."""

    def __init__(self, points: Iterable[tuple[int, float, float]], cell_degrees: float) -> None:
        if not 0 < 360 / cell_degrees < _OFFSET:
            raise ValueError("cell_degrees out of range")
        self.cell = cell_degrees
        table = np.array(list(points), dtype=np.float64).reshape(-1, 3)  # one C pass
        # keys are row ids: exact in a double below 2**53
        self._sort(table[:, 0].astype(np.int64), table[:, 1].copy(), table[:, 2].copy())

    @classmethod
    def from_arrays(cls, keys: Ints, lats: Floats, lons: Floats, cell_degrees: float) -> GridArrays:
        """The same index from columns already in arrays (no tuple per point)."""
        grid = cls((), cell_degrees)
        grid._sort(keys.astype(np.int64), lats.astype(np.float64), lons.astype(np.float64))
        return grid

    def _sort(self, keys: Ints, lats: Floats, lons: Floats) -> None:
        codes = self._codes(np.floor(lats / self.cell), np.floor(lons / self.cell))
        order = np.argsort(codes, kind="stable")
        self.keys, self.lats, self.lons = keys[order], lats[order], lons[order]
        self.cells, self.starts, self.counts = np.unique(
            codes[order], return_index=True, return_counts=True
        )
        self._vectors: tuple[Floats, Floats, Floats] | None = None

    @staticmethod
    def _codes(rows: Floats, cols: Floats) -> Ints:
        return (rows.astype(np.int64) + _OFFSET) * _STRIDE + (cols.astype(np.int64) + _OFFSET)

    def candidate_pairs(self, lats: Floats, lons: Floats, radii: Floats) -> tuple[Ints, Ints]:
        """(query index, point position) for every point in the cells each query's circle of
        ``radii`` km can touch (wider in longitude towards the poles)."""
        empty = np.zeros(0, dtype=np.int64)
        if len(lats) == 0 or len(self.keys) == 0:
            return empty, empty
        dlat = radii / KM_PER_DEGREE
        cos_lat = np.maximum(np.cos(np.radians(np.minimum(89.9, np.abs(lats) + dlat))), 1e-6)
        dlon = np.minimum(180.0, radii / (KM_PER_DEGREE * cos_lat))
        r0, r1 = np.floor((lats - dlat) / self.cell), np.floor((lats + dlat) / self.cell)
        c0, c1 = np.floor((lons - dlon) / self.cell), np.floor((lons + dlon) / self.cell)
        n_rows, n_cols = (r1 - r0 + 1).astype(np.int64), (c1 - c0 + 1).astype(np.int64)
        per_query = n_rows * n_cols
        query = np.repeat(np.arange(len(lats), dtype=np.int64), per_query)
        local = np.arange(len(query), dtype=np.int64) - np.repeat(
            np.cumsum(per_query) - per_query, per_query
        )
        width = n_cols[query]
        codes = self._codes(r0[query] + local // width, c0[query] + local % width)
        where = np.minimum(np.searchsorted(self.cells, codes), len(self.cells) - 1)
        hit = self.cells[where] == codes
        query, where = query[hit], where[hit]
        counts = self.counts[where]
        pair_query = np.repeat(query, counts)
        first = np.repeat(self.starts[where] - (np.cumsum(counts) - counts), counts)
        return pair_query, first + np.arange(len(pair_query), dtype=np.int64)

    def any_within(self, lats: Floats, lons: Floats, radius_km: float) -> NDArray[np.bool_]:
        """For each query, whether a point lies within ``radius_km`` (great-circle).

        Pairs are compared by the straight chord between unit vectors, which orders distances
        as the great circle does and costs no trigonometry per pair; only pairs within a
        relative 1e-9 of the radius are settled by :func:`haversine_array`, so the answer is
        the haversine answer."""
        covered = np.zeros(len(lats), dtype=bool)
        if len(lats) == 0 or len(self.keys) == 0:
            return covered
        if 2 * self.cell * KM_PER_DEGREE < radius_km:
            # two points of one cell are nearer than a meridian plus a parallel across it: a
            # query whose own cell holds a point is covered, with no pair at all
            codes = self._codes(np.floor(lats / self.cell), np.floor(lons / self.cell))
            where = np.minimum(np.searchsorted(self.cells, codes), len(self.cells) - 1)
            covered = self.cells[where] == codes
        rest = np.flatnonzero(~covered)
        radii = np.full(len(rest), radius_km)
        query, point = self.candidate_pairs(lats[rest], lons[rest], radii)
        query = rest[query]
        if len(query) == 0:
            return covered
        qx, qy, qz = _unit_vectors(lats, lons)
        px, py, pz = self._unit_vectors()
        chord2 = (qx[query] - px[point]) ** 2 + (qy[query] - py[point]) ** 2
        chord2 += (qz[query] - pz[point]) ** 2
        limit = (2 * np.sin(min(radius_km / (2 * EARTH_RADIUS_KM), np.pi / 2))) ** 2
        covered[query[chord2 <= limit * (1 - 1e-9)]] = True
        band = (chord2 > limit * (1 - 1e-9)) & (chord2 <= limit * (1 + 1e-9))
        query, point = query[band], point[band]
        near = haversine_array(lats[query], lons[query], self.lats[point], self.lons[point])
        covered[query[near <= radius_km]] = True
        return covered

    def _unit_vectors(self) -> tuple[Floats, Floats, Floats]:
        if self._vectors is None:
            self._vectors = _unit_vectors(self.lats, self.lons)
        return self._vectors


def _unit_vectors(lats: Floats, lons: Floats) -> tuple[Floats, Floats, Floats]:
    phi, lam = np.radians(lats), np.radians(lons)
    return np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)
