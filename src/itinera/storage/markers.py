"""Change markers: short strings that change whenever a table's rows do (for stored reports).

A stored report is served until a marker of its inputs changes. ``aggregate_marker`` suits
tables whose edits leave a trace in a column (a version number, an ever-growing id);
``rows_digest`` suits the small tables that are updated in place without one.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Table, func, select

from itinera.storage.database import UnitOfWork

__all__ = ["aggregate_marker", "rows_digest"]


def aggregate_marker(session: UnitOfWork, table: Table, *summed: str) -> str:
    """Row count, highest id and the sums of ``summed`` columns: one indexed query."""
    columns = [func.count(), func.max(table.c.id)]
    columns += [func.coalesce(func.sum(table.c[name]), 0) for name in summed]
    row = session.execute(select(*columns)).one()
    return ".".join("0" if value is None else str(value) for value in row)


def rows_digest(session: UnitOfWork, table: Table) -> str:
    """SHA-256 of every row in primary-key order (any edit, insert or delete changes it)."""
    digest = hashlib.sha256()
    keys = list(table.primary_key.columns)
    for row in session.execute(select(table).order_by(*keys)):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()[:16]
