"""Writing a backup's rows into a database (``itinera backup restore``), all inside the
caller's one transaction: a failure at any row leaves the database as it was."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Integer, Table, delete, func, inspect, select, text

from itinera.storage.backup.snapshot import backed_up_tables
from itinera.storage.backup.values import decoder_for
from itinera.storage.database import UnitOfWork
from itinera.storage.gateway.article_repository import ArticleRepository
from itinera.storage.migrate import current_heads_on, upgrade_on
from itinera.storage.schema import metadata

__all__ = ["SEEDED_TABLES", "StoreLoader"]

SEEDED_TABLES = frozenset({"audit_chain_head", "analytics_state"})
"""Tables whose one row the migrations write: a database holding only these is empty."""

# Objects the migrations create outside the tables of ``metadata``: dropped by ``--force``.
_UNMANAGED_SQL = {
    "sqlite": ("DROP TABLE IF EXISTS gateway_article_fts", "DROP TABLE IF EXISTS alembic_version"),
    "postgresql": (
        "DROP TABLE IF EXISTS alembic_version",
        "DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE",
    ),
}


class StoreLoader:
    def __init__(self, session: UnitOfWork, url: str) -> None:
        self.session = session
        self.url = url
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name
        self.tables = {table.name: table for table in backed_up_tables()}

    def occupied_tables(self) -> dict[str, int]:
        """Tables that hold rows (other than the rows the migrations write), with their
        counts; an empty answer means the database is empty (or has no tables yet)."""
        existing = set(self._existing_table_names())
        occupied: dict[str, int] = {}
        for name in self.tables:
            if name in SEEDED_TABLES or name not in existing:
                continue
            count = self.count(name)
            if count:
                occupied[name] = count
        return occupied

    def drop_everything(self) -> None:
        """``--force``: remove every table and object of the schema (the audit log's
        triggers forbid deleting its rows; dropping the table is the owner's privilege)."""
        metadata.drop_all(self.connection)
        for statement in _UNMANAGED_SQL.get(self.dialect, ()):
            self.connection.exec_driver_sql(statement)

    def create_schema(self) -> set[str]:
        """Run every migration, then empty the rows the migrations wrote; the revisions."""
        upgrade_on(self.connection, self.url)
        for name in SEEDED_TABLES:
            self.connection.execute(delete(self.tables[name]))
        return current_heads_on(self.connection)

    def insert(self, name: str, columns: Sequence[str], rows: Iterable[list[Any]]) -> None:
        table = self.tables[name]
        typed = [(column, decoder_for(table.c[column])) for column in columns]
        records = [
            {
                column: value if decode is None or value is None else decode(value)
                for (column, decode), value in zip(typed, row, strict=True)
            }
            for row in rows
        ]
        if records:
            self.connection.execute(table.insert(), records)

    def count(self, name: str) -> int:
        table = self.tables[name]
        return int(self.connection.execute(select(func.count()).select_from(table)).scalar_one())

    def finish(self) -> None:
        """What follows explicit ids: sequences past the highest id (PostgreSQL) and the
        full-text index the gateway keeps beside its articles (SQLite)."""
        if self.dialect == "postgresql":
            for table in self.tables.values():
                self._reset_sequence(table)
        ArticleRepository(self.session).rebuild_search_index()

    def _reset_sequence(self, table: Table) -> None:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer) or not key[0].autoincrement:
            return
        sequence = self.connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": key[0].name},
        ).scalar_one()
        if sequence is None:
            return
        highest = select(func.max(key[0])).scalar_subquery()
        self.connection.execute(select(func.setval(sequence, func.coalesce(highest, 0) + 1, False)))

    def _existing_table_names(self) -> list[str]:
        return list(inspect(self.connection).get_table_names())
