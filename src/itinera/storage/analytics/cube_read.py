"""Reads of the analytics cube that answer a new question (C3, issue 13, decision 0030).

A series asks for one indicator, some routes, one breakdown and a window: the cube's rows summed
over batches in SQL, one row per route × source × month × category. These statements go to the
driver's own cursor: the profile of a new question at one million observations showed
SQLAlchemy's per-row processing (``iterrows``, ``fetchone``) as the largest item after the
database itself, and these rows need no type processing (months come back as ISO dates on
SQLite and ``date`` on PostgreSQL, read once per distinct month).

The batches behind each figure are read from the totals only (``dimension = 'total'``): a
batch summed into the cube has rows in every dimension it has figures for, so the totals name
the same batches as a breakdown does, in far fewer rows (one per route × source × month instead
of one per category too).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from itinera.domain.analytics.series import Month

__all__ = ["CubeRows", "read_cube"]

# (route id, source key, month, category, value), and (route id, source key, month) -> batches
CubeRows = tuple[
    list[tuple[str, str, Month, str, float]], dict[tuple[str, str, Month], tuple[int, ...]]
]

_FIGURES = (
    "SELECT c.route_id, s.key, c.month, c.category, sum(c.value){batches} "
    "FROM analytics_cube c JOIN movement_sources s ON s.id = c.source_id "
    "WHERE c.indicator = {p} AND c.dimension = {p} AND c.route_id IN ({routes}){window} "
    "GROUP BY c.route_id, s.key, c.month, c.category"
)
_BATCHES = (
    "SELECT c.route_id, s.key, c.month, {batches} "
    "FROM analytics_cube c JOIN movement_sources s ON s.id = c.source_id "
    "WHERE c.indicator = {p} AND c.dimension = 'total' AND c.route_id IN ({routes}){window} "
    "GROUP BY c.route_id, s.key, c.month"
)
_AGGREGATE = {
    "sqlite": "group_concat(c.batch_id, ',')",
    "postgresql": "string_agg(CAST(c.batch_id AS VARCHAR), ',')",
}


def read_cube(
    session: Session,
    indicator: str,
    route_ids: Sequence[str],
    dimension: str,
    first: date | None,
    last: date | None,
) -> CubeRows:
    """The figures of ``dimension`` summed over batches, and the batches behind each route ×
    source × month (one statement for the totals, two for a breakdown)."""
    connection = session.connection()
    dialect = connection.dialect.name
    p = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    window, bounds = "", []
    for term, bound in ((">=", first), ("<=", last)):
        if bound is not None:
            window += f" AND c.month {term} {p}"
            bounds.append(bound.isoformat() if dialect == "sqlite" else bound)
    fields = {"p": p, "routes": ", ".join([p] * len(route_ids)), "window": window}
    batches = _AGGREGATE[dialect]
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        total = dimension == "total"
        sql = _FIGURES.format(batches=f", {batches}" if total else "", **fields)
        cursor.execute(sql, [indicator, dimension, *route_ids, *bounds])
        found = cursor.fetchall()
        if not total:
            cursor.execute(
                _BATCHES.format(batches=batches, **fields), [indicator, *route_ids, *bounds]
            )
            behind = cursor.fetchall()
    finally:
        cursor.close()
    months: dict[Any, Month] = {}

    def month(value: Any) -> Month:
        known = months.get(value)
        if known is None:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            known = months[value] = Month(day.year, day.month)
        return known

    rows = [(r, s, month(m), c, float(v)) for r, s, m, c, v, *_ in found]
    named = found if total else behind
    index = 5 if total else 3
    ids = {
        (r[0], r[1], month(r[2])): tuple(int(b) for b in str(r[index]).split(",")) for r in named
    }
    return rows, ids
