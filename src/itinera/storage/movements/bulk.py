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
    "insert_rows",
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
_DEFERRED = "itinera.deferred_indexes."
_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table "
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
    if not isinstance(rows, ObservationBlock):
        insert_rows(session, "observations", OBSERVATION_COLUMNS, rows)
    elif session.connection().dialect.name == "sqlite":
        statement = rows.sqlite_insert(session.connection().dialect)
        insert_rows(session, "observations", OBSERVATION_COLUMNS, rows.rows, statement)
    else:
        insert_rows(session, "observations", OBSERVATION_COLUMNS, rows.full_rows())


def insert_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    sqlite_insert: str | None = None,
) -> None:
    """Rows into ``table`` on the driver, in the session's transaction: ``executemany`` on
    SQLite (of ``sqlite_insert`` when given), ``COPY … FROM STDIN`` on PostgreSQL. The analytics
    cube's sums are written through it too (decision 0040)."""
    dialect, raw = _driver(session)
    names = ", ".join(columns)
    if dialect == "sqlite":
        marks = ", ".join("?" * len(columns))
        statement = sqlite_insert or f"INSERT INTO {table} ({names}) VALUES ({marks})"
        cursor = raw.cursor()
        try:
            cursor.executemany(statement, rows)
        finally:
            cursor.close()
        return
    if dialect == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        return
    raise NotImplementedError(f"bulk insert on {dialect}")  # pragma: no cover


def defer_indexes(session: Session, table: str = "observations") -> bool:
    """Drop the secondary indexes of ``table`` (SQLite only); True when dropped. The analytics
    cube's full build uses it too (decision 0040)."""
    key = _DEFERRED + table
    if session.connection().dialect.name != "sqlite" or key in session.info:
        return False
    found = [(str(n), str(s)) for n, s in session.execute(text(_INDEXES), {"table": table}).all()]
    for name, _ in found:
        session.execute(text(f'DROP INDEX "{name}"'))
    session.info[key] = found
    return bool(found)


def restore_indexes(session: Session, table: str = "observations") -> None:
    """Build again the indexes ``defer_indexes`` dropped, in the same transaction."""
    for _, sql in session.info.pop(_DEFERRED + table, []):
        session.execute(text(sql))
