"""Where the sources' data start and end (C2): the months they cover only in part, and the
span of each source's figures that dashboards show as "data as of"."""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.movement_records import SourceCoverage
from itinera.domain.partial_months import partial_months
from itinera.storage.database import Database
from itinera.storage.movements.movement_repository import MovementRepository
from itinera.storage.movements.query_repository import MovementQueryRepository

__all__ = ["incomplete_months", "source_coverage"]


def incomplete_months(db: Database) -> set[str]:
    """The months (``2026-05``) that a source's last incident date cuts short: figures derived
    from incidents are partial there (no early warning; marked on series and charts)."""
    with db.transaction() as session:
        return partial_months(MovementRepository(session).coverage_ends())


def source_coverage(
    db: Database, actor: Actor, route_id: str | None = None
) -> list[SourceCoverage]:
    """Per source and indicator, the span of its current figures (of one route when given):
    what dashboards say their data are "as of"."""
    require(actor, Action.VIEW_AGGREGATES)
    with db.transaction() as session:
        return MovementQueryRepository(session).source_coverage(route_id)
