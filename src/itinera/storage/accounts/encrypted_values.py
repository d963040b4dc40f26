"""Reading and rewriting the values of any registered encrypted column, for key rotation.

The columns are named at run time (each capability registers its own), so the statements are
built from the registration rather than from a table object. Values are returned and written
as tokens: encryption stays with the caller, who holds the keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import column, select, table, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause, TableClause

from itinera.engines.crypto import EncryptedColumn

__all__ = ["EncryptedValueRepository"]


class EncryptedValueRepository:
    def __init__(self, session: Session, registered: EncryptedColumn) -> None:
        self.session = session
        self.registered = registered
        self._keys: list[ColumnClause[Any]] = [column(k) for k in registered.key_columns]
        self._value: ColumnClause[Any] = column(registered.column)
        self._table: TableClause = table(registered.table, *self._keys, self._value)
        if registered.index_column:
            self._table.append_column(column(registered.index_column))

    def tokens(self) -> Iterator[tuple[dict[str, Any], str]]:
        """Every stored token with the key columns of its row (which name its context)."""
        rows = self.session.execute(
            select(*self._keys, self._value)
            .select_from(self._table)
            .where(self._value.is_not(None))
        )
        for row in rows.all():
            *keys, token = row
            yield dict(zip(self.registered.key_columns, keys, strict=True)), token

    def replace(self, keys: Mapping[str, Any], values: Mapping[str, Any]) -> None:
        """Write ``values`` (the new token, and its blind index if any) on the row of ``keys``."""
        where = [self._table.c[k] == keys[k] for k in self.registered.key_columns]
        self.session.execute(update(self._table).where(*where).values(**values))
