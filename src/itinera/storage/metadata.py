"""The one ``MetaData`` every capability's tables share, and the column helpers they reuse.

Every ``DateTime(timezone=True)`` column of these tables reads back as an aware UTC datetime,
on SQLite too (which stores no zone and answers naive values): the API's datetimes always carry
their zone (issue 10, item 14). The swap happens as each column joins a table of this
``MetaData``; the DDL is unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, Table, event, func
from sqlalchemy.types import TypeDecorator

__all__ = ["UTCDateTime", "metadata", "timestamps"]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def timestamps() -> list[Column[datetime]]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` whose values come back aware (UTC when stored naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


@event.listens_for(Column, "after_parent_attach")
def _aware_datetimes(column: Column[Any], table: Any) -> None:
    if (
        isinstance(table, Table)
        and table.metadata is metadata
        and isinstance(column.type, DateTime)
        and column.type.timezone
    ):
        column.type = UTCDateTime()
