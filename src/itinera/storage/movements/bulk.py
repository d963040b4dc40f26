"""Bulk writing of observations (C2), on the driver below SQLAlchemy, in the session's
transaction.

- SQLite: ``executemany`` on the raw ``sqlite3`` cursor of the session's connection; rows
  come ready to bind (dates as ISO text, as SQLAlchemy stores them).
- PostgreSQL: ``COPY observations (...) FROM STDIN`` through psycopg.
- A large batch into a small SQLite store may drop the secondary indexes of ``observations``
  and build them again at the end (``defer_indexes``/``restore_indexes``): SQLite DDL is
  transactional, so a crash or a killed process rolls the drop back with the rows, and
  readers in WAL mode keep their snapshot, indexes included. PostgreSQL keeps its indexes
  (dropping one would lock the table against readers for the whole import).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["CHUNK", "OBSERVATION_COLUMNS", "bulk_insert", "defer_indexes", "restore_indexes"]

OBSERVATION_COLUMNS = (
    "batch_id",
    "source_id",
    "indicator",
    "value",
    "unit",
    "period_kind",
    "period_start",
    "period_end",
    "route_name",
    "route_key",
    "route_id",
    "country",
    "place",
    "nationality",
    "sex",
    "age_group",
    "border_type",
    "source_row",
    "derived",
    "superseded",
    "admin_level",
    "correction",
    "route_method",
    "route_distance_km",
)
CHUNK = 5000
_NAMES = ", ".join(OBSERVATION_COLUMNS)
_SQLITE_INSERT = (
    f"INSERT INTO observations ({_NAMES}) VALUES ({', '.join('?' * len(OBSERVATION_COLUMNS))})"
)
_COPY = f"COPY observations ({_NAMES}) FROM STDIN"
_DEFERRED = "itinera.deferred_observation_indexes"
_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations' "
    "AND sql IS NOT NULL ORDER BY name"
)


def _driver(session: Session) -> tuple[str, Any]:
    connection = session.connection()
    return connection.dialect.name, connection.connection.driver_connection


def bulk_insert(session: Session, rows: Sequence[tuple[Any, ...]]) -> None:
    dialect, raw = _driver(session)
    if dialect == "sqlite":
        cursor = raw.cursor()
        try:
            cursor.executemany(_SQLITE_INSERT, rows)
        finally:
            cursor.close()
        return
    if dialect == "postgresql":
        with raw.cursor() as cursor, cursor.copy(_COPY) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        return
    raise NotImplementedError(f"bulk insert on {dialect}")  # pragma: no cover


def defer_indexes(session: Session) -> bool:
    """Drop the secondary indexes of ``observations`` (SQLite only); True when dropped."""
    if session.connection().dialect.name != "sqlite" or _DEFERRED in session.info:
        return False
    found = [(str(n), str(s)) for n, s in session.execute(text(_INDEXES)).all()]
    for name, _ in found:
        session.execute(text(f'DROP INDEX "{name}"'))
    session.info[_DEFERRED] = found
    return bool(found)


def restore_indexes(session: Session) -> None:
    """Build again the indexes ``defer_indexes`` dropped, in the same transaction."""
    for _, sql in session.info.pop(_DEFERRED, []):
        session.execute(text(sql))
