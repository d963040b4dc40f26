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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from sqlalchemy import literal, null, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

__all__ = [
    "CHUNK",
    "OBSERVATION_COLUMNS",
    "ObservationBlock",
    "bulk_insert",
    "defer_indexes",
    "restore_indexes",
]

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


@dataclass(frozen=True)
class ObservationBlock:
    """Rows that share values (a chunk of one file: its batch, source, indicator, unit …):
    ``constants`` maps a position of ``OBSERVATION_COLUMNS`` to the value of every row there,
    ``rows`` hold the other positions, in order. SQLite is given the shared values once, as
    literals of the statement, instead of binding them on every row."""

    constants: Mapping[int, Any]
    rows: Sequence[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def part(self, start: int, stop: int) -> ObservationBlock:
        return ObservationBlock(self.constants, self.rows[start:stop])

    def full_rows(self) -> list[tuple[Any, ...]]:
        """The rows in ``OBSERVATION_COLUMNS`` order (transposed twice, in C)."""
        varying: Iterator[Iterable[Any]] = iter(zip(*self.rows, strict=True))
        size = len(self.rows)
        columns: list[Iterable[Any]] = []
        for i in range(len(OBSERVATION_COLUMNS)):
            if i in self.constants:
                columns.append(repeat(self.constants[i], size))
            else:
                columns.append(next(varying))
        return list(zip(*columns, strict=False))

    def sqlite_insert(self, dialect: Dialect) -> str:
        varying = [n for i, n in enumerate(OBSERVATION_COLUMNS) if i not in self.constants]
        shared = [(OBSERVATION_COLUMNS[i], v) for i, v in sorted(self.constants.items())]
        names = ", ".join([*varying, *(name for name, _ in shared)])
        values = ", ".join(["?"] * len(varying) + [_literal(v, dialect) for _, v in shared])
        return f"INSERT INTO observations ({names}) VALUES ({values})"


def _literal(value: Any, dialect: Dialect) -> str:
    """A value as SQL text, rendered (and quoted) by SQLAlchemy's compiler for the dialect."""
    clause = null() if value is None else literal(value)
    return str(clause.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _driver(session: Session) -> tuple[str, Any]:
    connection = session.connection()
    return connection.dialect.name, connection.connection.driver_connection


def bulk_insert(session: Session, rows: Sequence[tuple[Any, ...]] | ObservationBlock) -> None:
    dialect, raw = _driver(session)
    if dialect == "sqlite":
        statement, bound = _SQLITE_INSERT, rows
        if isinstance(rows, ObservationBlock):
            statement, bound = rows.sqlite_insert(session.connection().dialect), rows.rows
        cursor = raw.cursor()
        try:
            cursor.executemany(statement, bound)
        finally:
            cursor.close()
        return
    if dialect == "postgresql":
        full = rows.full_rows() if isinstance(rows, ObservationBlock) else rows
        with raw.cursor() as cursor, cursor.copy(_COPY) as copy:
            write = copy.write_row
            for row in full:
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
