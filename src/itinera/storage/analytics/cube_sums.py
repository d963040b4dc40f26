"""Summing observations into the analytics cube in one read (C3, issue 13, decision 0040).

The cube holds, per import batch × source × indicator × route × month, the total and the sums by
nationality, sex, age group and country of the current monthly observations. One
``INSERT … SELECT … GROUP BY`` per dimension made the database scan and sort the observations
five times (at one million observations, 12 of the 16.6 s the build took). Here the columns the
cube needs are read once as integer codes (``cube_columns.py``), and every dimension is summed
from them with numpy: each observation's base group (batch × source × indicator × route ×
month) is numbered once, then each breakdown is a ``bincount`` over base × category (each
group's values added in the order read). The cube's rows are written in the order of its lookup
index (indicator, route, month within each dimension), in slices, by ``executemany`` on SQLite
and ``COPY`` on PostgreSQL.

What is summed is what the SQL summed: a breakdown's unknown category (NULL) is a row of its own
with category ``""``, as ``coalesce`` gave it; an empty category, if stored, is another row, as
``GROUP BY`` kept it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from itinera.storage.analytics.cube_columns import Column, Observations, read_observations
from itinera.storage.analytics.tables import CUBE_COLUMNS, analytics_cube
from itinera.storage.movements.bulk import insert_rows

__all__ = ["sum_into_cube"]

Ints = npt.NDArray[np.signedinteger[Any]]
_SLICE = 50_000  # cube rows written at a time
_DENSE = 1 << 22  # distinct keys found with a dense array up to this many possible keys
_PASSES = 8  # dense windows over the rows before sorting them instead
_WIDE = 1 << 62


def sum_into_cube(
    session: Session,
    batch_ids: Sequence[int],
    dimensions: Sequence[str],
    months: tuple[date, date] | None = None,
    route_ids: Sequence[str] | None = None,
    *,
    every: bool = False,
) -> int:
    """Add to the cube the sums of ``dimensions`` of these batches' observations (only the
    months and routes given, when given; ``every``: they are all the store's batches);
    returns the number of cube rows written."""
    read = read_observations(session, batch_ids, months, route_ids, every)
    if read is None:
        return 0
    base, keys = _bases(read)
    written = 0
    for dimension in dimensions:
        groups, category, sums, counts = _sum(read, base, len(keys[0].codes), dimension)
        for start in range(0, len(groups), _SLICE):
            part = slice(start, start + _SLICE)
            indicator, route, month, batch, source = (
                k.values[k.codes[groups[part]]].tolist() for k in keys
            )
            rows = zip(
                batch,
                source,
                indicator,
                route,
                month,
                repeat(dimension),
                repeat("") if category is None else category[part].tolist(),
                sums[part].tolist(),
                counts[part].tolist(),
            )
            insert_rows(session, analytics_cube.name, CUBE_COLUMNS, rows)
        written += len(groups)
    return written


def _bases(read: Observations) -> tuple[Ints, list[Column]]:
    """Each observation's base group, numbered in the order of the key columns' values; and
    the key columns per base group (the rows' codes are dropped: the memory goes to the sums)."""
    key: Ints = read.keys[0].codes.astype(np.int64)
    size = len(read.keys[0].values)
    for column in read.keys[1:]:
        if size * len(column.values) >= _WIDE:  # renumber the keys so far: it fits in 64 bits
            size, key = _number(key, size)
        key *= len(column.values)
        key += column.codes
        size *= len(column.values)
    size, base = _number(key, size)
    del key
    representative = np.empty(size, np.int64)
    representative[base] = np.arange(len(base))  # any row of a base group names its keys
    keys = [Column(k.codes[representative], k.values) for k in read.keys]
    read.keys.clear()
    return base, keys


def _number(key: Ints, size: int) -> tuple[int, Ints]:
    """The distinct keys numbered from 0 in their order: (how many, each row's number)."""
    if size <= _DENSE:
        present = np.zeros(size, dtype=bool)
        present[key] = True
        number = np.cumsum(present, dtype=np.int64) - 1
        return int(number[-1]) + 1, number[key]
    distinct, inverse = np.unique(key, return_inverse=True)
    return len(distinct), inverse.astype(np.int64)


def _sum(
    read: Observations, base: Ints, size: int, dimension: str
) -> tuple[Ints, npt.NDArray[np.object_] | None, npt.NDArray[Any], Ints]:
    """(each group's base, its category or None for totals, its sum, its row count), groups
    in the order of base, then category."""
    if dimension == "total":
        sums = np.bincount(base, weights=read.values, minlength=size)
        return np.arange(size), None, sums, np.bincount(base, minlength=size)
    column = read.categories[dimension]
    width = len(column.values)
    cell = base * width
    cell += column.codes
    groups, sums, counts = _cells(cell, read.values, size * width)
    return groups // width, column.values[groups % width], sums, counts


def _cells(cell: Ints, values: npt.NDArray[np.float64], cells: int) -> tuple[Ints, Any, Ints]:
    """(each cell that has rows, its sum, its row count), in the order of cells. Counted in
    dense windows of at most one cell per row (two numbers a cell: the memory stays of the
    order of the rows read), each window one pass over the rows; by sorting when that would
    take more than ``_PASSES`` passes."""
    window = max(_DENSE, len(cell))
    if cells > window * _PASSES:
        groups, inverse = np.unique(cell, return_inverse=True)
        return groups, np.bincount(inverse, weights=values), np.bincount(inverse)
    found: list[tuple[Ints, Any, Ints]] = []
    for start in range(0, cells, window):
        inside = (cell >= start) & (cell < start + window) if cells > window else slice(None)
        local = cell[inside] - start
        length = min(window, cells - start)
        counts = np.bincount(local, minlength=length)
        groups = np.flatnonzero(counts)
        sums = np.bincount(local, weights=values[inside], minlength=length)[groups]
        found.append((groups + start, sums, counts[groups]))
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))  # type: ignore[return-value]
