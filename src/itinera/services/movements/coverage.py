"""Where the sources' data end (C2): the months they cover only in part."""

from __future__ import annotations

from itinera.domain.partial_months import partial_months
from itinera.storage.database import Database
from itinera.storage.movements.movement_repository import MovementRepository

__all__ = ["incomplete_months"]


def incomplete_months(db: Database) -> set[str]:
    """The months (``2026-05``) that a source's last incident date cuts short: figures derived
    from incidents are partial there (no early warning; marked on series and charts)."""
    with db.transaction() as session:
        return partial_months(MovementRepository(session).coverage_ends())
