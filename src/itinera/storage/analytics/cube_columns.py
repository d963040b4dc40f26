"""The observations' columns the analytics cube sums, read once as small integer codes (C3,
issue 13, decision 0040; ``cube_sums.py`` sums them).

One statement through the driver's cursor (a server-side cursor on PostgreSQL, so that rows come
a block at a time), read in blocks of ``BLOCK`` rows: each block becomes one pyarrow struct array
(no Python loop per row), each column of it is dictionary-encoded, and only the codes are kept
(in the narrowest integer type: one byte a value for most columns) with the values' dictionary.
At the end each column's codes are renumbered in the order of its values (NULL first), so that
sorting by code sorts by value.

What is read is what the cube sums: monthly figures, not superseded, with a route, of a country
or of no stated level (``query_repository.country_level``: admin areas are parts of their
country's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from sqlalchemy.orm import Session

__all__ = ["BLOCK", "CATEGORIES", "KEYS", "Column", "Observations", "read_observations"]

BLOCK = 100_000  # rows read at a time (the Python row tuples of one block only)
# the key columns in the order of the cube's lookup index, then the breakdowns
KEYS = ("indicator", "route_id", "period_start", "batch_id", "source_id")
CATEGORIES = ("nationality", "sex", "age_group", "country")
_READ = (
    f"SELECT {', '.join(KEYS)}, {', '.join(CATEGORIES)}, value FROM observations "
    "WHERE {scan}batch_id IN ({batches}) AND period_kind = 'month' AND superseded = {no} "
    "AND route_id IS NOT NULL AND (admin_level IS NULL OR admin_level = 0){months}{routes}"
)


@dataclass(frozen=True)
class Column:
    """One column as codes (``values[codes[i]]`` is row i's value), values in sorted order."""

    codes: npt.NDArray[np.integer[Any]]
    values: npt.NDArray[np.object_]


@dataclass
class Observations:
    keys: list[Column]  # in the order of KEYS
    categories: dict[str, Column]  # NULL read as ""
    values: npt.NDArray[np.float64]


@dataclass
class _Dictionary:
    """The distinct values of one column, each with its code (order of first appearance), and
    the codes of the blocks read so far."""

    values: list[Any] = field(default_factory=list)
    codes: dict[Any, int] = field(default_factory=dict)
    blocks: list[npt.NDArray[np.signedinteger[Any]]] = field(default_factory=list)

    def add(self, column: pa.Array) -> None:
        encoded = column.dictionary_encode(null_encoding="encode")
        local = encoded.dictionary.to_pylist()
        mapping = np.fromiter(map(self._code, local), np.int64, len(local))
        narrow = mapping.astype(_narrowest(len(self.values)))  # one byte a value, mostly
        self.blocks.append(narrow[encoded.indices.to_numpy()])

    def _code(self, value: Any) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code

    def column(self) -> Column:
        """The codes of every row, renumbered in the values' order, in the narrowest type."""
        order = sorted(range(len(self.values)), key=lambda i: _order(self.values[i]))
        rank = np.empty(len(order), _narrowest(len(order)))
        rank[order] = np.arange(len(order))
        values = np.empty(len(order), dtype=object)
        values[:] = [self.values[i] for i in order]
        codes = cast(npt.NDArray[np.integer[Any]], rank[np.concatenate(self.blocks)])
        self.blocks.clear()
        return Column(codes, values)


def _narrowest(size: int) -> type[np.signedinteger[Any]]:
    """The narrowest integer type that holds the codes 0 … size − 1."""
    return next(t for t in (np.int8, np.int16, np.int32, np.int64) if size <= np.iinfo(t).max)


def _order(value: Any) -> tuple[bool, Any]:
    return value is not None, value


def read_observations(
    session: Session,
    batch_ids: Sequence[int],
    months: tuple[date, date] | None,
    route_ids: Sequence[str] | None,
    every: bool,
) -> Observations | None:
    """The columns of these batches' observations the cube sums (only the months and routes
    given, when given); None when there is none. ``every``: all the store's batches, so SQLite
    scans the table rather than reading it through the batch index (a quarter of the read's
    cost at one million observations)."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    p = "?" if sqlite else "%s"
    bounds: list[Any] = [] if months is None else [m.isoformat() if sqlite else m for m in months]
    sql = _READ.format(
        scan="+" if every and sqlite else "",  # a unary + keeps SQLite off the batch index
        batches=", ".join([p] * len(batch_ids)),
        no="0" if sqlite else "false",
        months=f" AND period_start BETWEEN {p} AND {p}" if months else "",
        routes=f" AND route_id IN ({', '.join([p] * len(route_ids))})" if route_ids else "",
    )
    row_type = pa.struct(
        [(name, pa.string()) for name in KEYS[:2]]
        + [("period_start", pa.string() if sqlite else pa.date32())]
        + [("batch_id", pa.int64()), ("source_id", pa.int64())]
        + [(name, pa.string()) for name in CATEGORIES]
        + [("value", pa.float64())]
    )
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor() if sqlite else driver.cursor(name="itinera_cube_columns")
    dictionaries = [_Dictionary() for _ in (*KEYS, *CATEGORIES)]
    values: list[npt.NDArray[np.float64]] = []
    try:
        cursor.execute(sql, [*batch_ids, *bounds, *(route_ids or [])])
        while block := cursor.fetchmany(BLOCK):
            columns = pa.array(block, type=row_type).flatten()
            for dictionary, column in zip(dictionaries, columns, strict=False):
                dictionary.add(column)
            values.append(columns[-1].to_numpy())
    finally:
        cursor.close()
    if not values:
        return None
    read = [d.column() for d in dictionaries]
    categories = dict(zip(CATEGORIES, read[len(KEYS) :], strict=True))
    for column in categories.values():
        column.values[:] = ["" if v is None else v for v in column.values]  # coalesce(…, '')
    return Observations(read[: len(KEYS)], categories, np.concatenate(values))
