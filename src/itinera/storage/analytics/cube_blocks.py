"""The cube's rows of one indicator × route × breakdown, summed over batches, as columns
(issue 13, decision 0036): what ``services/analytics/arrays.py`` keeps in the process.

One statement through the driver's cursor (like ``cube_read.py``: the rows need no type
processing), using ``ix_analytics_cube_lookup`` (indicator, route, dimension, month); each month
comes back as its index (year × 12 + month − 1), and the totals also name the batches behind
each month × source. The rows become columns with no Python loop per row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from itinera.domain.analytics.cube_block import CubeBlock

__all__ = ["read_block"]

_BLOCK = (
    "SELECT {index}, s.key, c.category, sum(c.value){batches} "
    "FROM analytics_cube c JOIN movement_sources s ON s.id = c.source_id "
    "WHERE c.indicator = {p} AND c.route_id = {p} AND c.dimension = {p} "
    "GROUP BY c.month, s.key, c.category"
)
_MONTH_INDEX = {
    "sqlite": "CAST(substr(c.month, 1, 4) AS INTEGER) * 12"
    " + CAST(substr(c.month, 6, 2) AS INTEGER) - 1",
    "postgresql": "CAST(EXTRACT(YEAR FROM c.month) * 12"
    " + EXTRACT(MONTH FROM c.month) - 1 AS INTEGER)",
}
_AGGREGATE = {
    "sqlite": "group_concat(c.batch_id, ',')",
    "postgresql": "string_agg(CAST(c.batch_id AS VARCHAR), ',')",
}


def _codes(column: tuple[str, ...]) -> tuple[tuple[str, ...], list[int]]:
    """The distinct values in order of appearance, and each row's position among them."""
    names = tuple(dict.fromkeys(column))
    position = {name: i for i, name in enumerate(names)}
    return names, list(map(position.__getitem__, column))


def read_block(session: Session, indicator: str, route_id: str, dimension: str) -> CubeBlock:
    connection = session.connection()
    dialect = connection.dialect.name
    total = dimension == "total"
    sql = _BLOCK.format(
        index=_MONTH_INDEX[dialect],
        batches=f", {_AGGREGATE[dialect]}" if total else "",
        p="?" if connection.dialect.paramstyle == "qmark" else "%s",
    )
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        cursor.execute(sql, [indicator, route_id, dimension])
        found = cursor.fetchall()
    finally:
        cursor.close()
    columns = list(zip(*found, strict=True)) if found else [(), (), (), (), ()]
    sources, source_codes = _codes(columns[1])
    categories, category_codes = _codes(columns[2])
    months = np.array(columns[0], dtype=np.int64)
    order = np.argsort(months, kind="stable")
    behind: dict[tuple[int, str], tuple[int, ...]] = {}
    if total:
        for month, source, batches in zip(columns[0], columns[1], columns[4], strict=True):
            behind[month, source] = tuple(sorted(int(b) for b in str(batches).split(",")))
    return CubeBlock(
        months[order],
        np.array(source_codes, dtype=np.int64)[order],
        np.array(category_codes, dtype=np.int64)[order],
        np.array(columns[3], dtype=np.float64)[order],
        sources,
        categories,
        behind,
    )
