"""Distances on the sphere and a grid spatial index (decision 0006).

The index buckets points into cells of ``cell_degrees`` of latitude and longitude; a radius
query looks only at the cells the radius can reach (wider in longitude towards the poles)
and checks the exact great-circle distance. Building is O(n); a query costs the points in
a few cells instead of all n.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from itinera.domain.earth import EARTH_RADIUS_KM, KM_PER_DEGREE
from itinera.domain.grid_arrays import GridArrays

__all__ = ["EARTH_RADIUS_KM", "KM_PER_DEGREE", "GridIndex", "haversine_km"]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class GridIndex:
    """Points (lat, lon) with an integer key each, bucketed in a regular lat/lon grid."""

    def __init__(
        self, points: Iterable[tuple[int, float, float]], cell_degrees: float = 0.5
    ) -> None:
        if cell_degrees <= 0:
            raise ValueError("cell_degrees must be positive")
        self.cell = cell_degrees
        self._points: list[tuple[int, float, float]] | None = list(points)
        self.size = len(self._points)
        self._buckets: dict[tuple[int, int], list[tuple[int, float, float]]] | None = None
        self._arrays: GridArrays | None = None
        self._resized: dict[float, GridArrays] = {}

    @classmethod
    def from_arrays(cls, grid: GridArrays) -> GridIndex:
        """An index over the points of ``grid`` whose tuples (for one-at-a-time queries) are
        made only if such a query comes: bulk users never pay for them."""
        index = cls((), grid.cell)
        index._arrays, index.size, index._points = grid, len(grid.keys), None
        return index

    def _tuples(self) -> list[tuple[int, float, float]]:
        if self._points is None:
            grid = self.arrays()
            columns = grid.keys.tolist(), grid.lats.tolist(), grid.lons.tolist()
            self._points = list(zip(*columns, strict=True))
        return self._points

    @property
    def _cells(self) -> dict[tuple[int, int], list[tuple[int, float, float]]]:
        """The cells for one-at-a-time queries, built on first use: bulk users (coverage at
        hundreds of thousands of points) only ever need :meth:`arrays`."""
        if self._buckets is None:
            self._buckets = defaultdict(list)
            for key, lat, lon in self._tuples():
                self._buckets[self._cell_of(lat, lon)].append((key, lat, lon))
        return self._buckets

    def arrays(self, radius_km: float | None = None) -> GridArrays:
        """The same points as sorted arrays, for queries in bulk (built once, on first use).

        With ``radius_km``, in cells of about half that radius (0.05° to 0.5°), built once per
        cell size: a query's square of cells then holds a few times the points of its circle,
        not up to twenty times (a 10 km radius in 0.5° cells), and every pair costs."""
        if self._arrays is None:
            self._arrays = GridArrays(self._tuples(), self.cell)
        if radius_km is None:
            return self._arrays
        cell = min(self.cell, max(0.05, round(radius_km / (2 * KM_PER_DEGREE), 2)))
        if cell not in self._resized:
            base = self._arrays
            self._resized[cell] = GridArrays.from_arrays(base.keys, base.lats, base.lons, cell)
        return self._resized[cell]

    def _cell_of(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell), math.floor(lon / self.cell)

    def candidates(
        self, lat: float, lon: float, radius_km: float
    ) -> list[tuple[int, float, float]]:
        """Every point in the cells a circle of ``radius_km`` can touch (a superset)."""
        if not self._cells:  # an empty index (no point offers the type): nothing to scan
            return []
        dlat = radius_km / KM_PER_DEGREE
        cos_lat = max(math.cos(math.radians(min(89.9, abs(lat) + dlat))), 1e-6)
        dlon = min(180.0, radius_km / (KM_PER_DEGREE * cos_lat))
        cell = self.cell
        r0, c0 = math.floor((lat - dlat) / cell), math.floor((lon - dlon) / cell)
        r1, c1 = math.floor((lat + dlat) / cell), math.floor((lon + dlon) / cell)
        cells = self._cells
        found: list[tuple[int, float, float]] = []
        for row in range(r0, r1 + 1):
            for col in range(c0, c1 + 1):
                bucket = cells.get((row, col))
                if bucket:
                    found.extend(bucket)
        return found

    def within(self, lat: float, lon: float, radius_km: float) -> list[tuple[int, float]]:
        """(key, distance in km) of every point within ``radius_km``, nearest first."""
        found = [
            (key, d)
            for key, plat, plon in self.candidates(lat, lon, radius_km)
            if (d := haversine_km(lat, lon, plat, plon)) <= radius_km
        ]
        found.sort(key=lambda kd: kd[1])
        return found

    def any_within(self, lat: float, lon: float, radius_km: float) -> bool:
        # an equirectangular pre-check (generous by 1 % + 1 km) spares most haversines
        k = math.cos(math.radians(lat))
        reach = (radius_km * 1.01 + 1.0) ** 2
        for _, plat, plon in self.candidates(lat, lon, radius_km):
            dx, dy = (plon - lon) * k * KM_PER_DEGREE, (plat - lat) * KM_PER_DEGREE
            if dx * dx + dy * dy <= reach and haversine_km(lat, lon, plat, plon) <= radius_km:
                return True
        return False

    def nearest(
        self, lat: float, lon: float, limit: int, max_km: float = 20_000.0
    ) -> list[tuple[int, float]]:
        """The ``limit`` nearest points, widening the search ring until enough are found."""
        radius = max(self.cell * KM_PER_DEGREE, 10.0)
        while True:
            found = self.within(lat, lon, radius)
            if len(found) >= limit or radius >= max_km or len(found) >= self.size:
                return found[:limit]
            radius = min(radius * 2, max_km)
