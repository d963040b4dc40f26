"""Reading the whole store as one consistent snapshot while it serves (``itinera backup
create``): one read transaction that sees every table as of the same instant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, func, select

from itinera.storage.accounts.audit_repository import AuditRepository
from itinera.storage.backup.values import encode_value
from itinera.storage.database import UnitOfWork
from itinera.storage.migrate import current_heads_on
from itinera.storage.schema import metadata

__all__ = ["StoreSnapshot", "backed_up_tables"]

_BATCH = 2000


def backed_up_tables() -> list[Table]:
    """Every table of the schema, parents before children (the order a restore inserts)."""
    return list(metadata.sorted_tables)


class StoreSnapshot:
    """Rows of every table as JSON values, all read inside one snapshot of the database.

    On PostgreSQL the transaction is ``REPEATABLE READ READ ONLY`` (one snapshot for every
    statement); on SQLite in WAL mode an explicit ``BEGIN`` holds the read snapshot taken by
    the first statement, and writers carry on beside it.
    """

    def __init__(self, session: UnitOfWork) -> None:
        self.session = session
        if session.get_bind().dialect.name == "postgresql":
            connection = session.connection(
                execution_options={"isolation_level": "REPEATABLE READ"}
            )
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        else:
            connection = session.connection()
            connection.exec_driver_sql("BEGIN")
        self.connection = connection
        self.dialect = connection.dialect.name
        # the snapshot starts with this first read
        self.revisions = tuple(sorted(current_heads_on(connection)))

    def audit_head(self) -> tuple[int, str]:
        return AuditRepository(self.session).head()

    def count(self, table: Table) -> int:
        return int(self.connection.execute(select(func.count()).select_from(table)).scalar_one())

    def rows(self, table: Table) -> Iterator[list[Any]]:
        """The rows in primary-key order, each a list of JSON values in column order."""
        columns = list(table.columns)
        statement = select(*columns).order_by(*table.primary_key.columns)
        result = self.connection.execution_options(yield_per=_BATCH).execute(statement)
        for row in result:
            yield [encode_value(column, value) for column, value in zip(columns, row, strict=True)]
