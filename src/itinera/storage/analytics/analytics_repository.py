"""Keep the analytics cube current and read it (C3).

Refresh is incremental: a batch not yet in the cube has its current monthly observations summed
(``cube_sums.py``: the columns read once, every dimension summed from them — decision 0040),
totals first and breakdowns on the first read that needs them, or both in the same pass when the
caller wants breakdowns; when a new batch superseded its source's older figures for the months it
covers, the older batches of that source are summed again for those months only. Batches deleted
from the store leave the cube. A build into an empty cube (the first one, ``rebuild``) on SQLite
drops the cube's indexes and builds them once at the end, in the same transaction.
Route re-attribution (alias edits) re-sums the affected routes only (``resum_routes``).

The cube is a cache of the movement tables, so this package, alone outside ``storage/movements``,
names them: its sums read the observations' columns through the driver's cursor (ten million
rows through a repository's domain objects would multiply the refresh time), and the per-request
token must stay one query. Everything else analytics reads of movement data (incidents, batch
provenance) it asks of ``MovementQueryRepository``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from itinera.domain.analytics.cube_block import CubeBlock
from itinera.storage.analytics.cube_blocks import read_block
from itinera.storage.analytics.cube_read import CubeRows, read_cube
from itinera.storage.analytics.cube_sums import sum_into_cube
from itinera.storage.analytics.tables import (
    DIMENSIONS,
    SPAN_TERM,
    analytics_breakdown_batches,
    analytics_cube,
    analytics_cube_batches,
    analytics_state,
)
from itinera.storage.database import Database
from itinera.storage.movements.bulk import defer_indexes, restore_indexes
from itinera.storage.movements.tables import import_batches, observations

__all__ = ["CubeRepository", "refresh_cube"]

_TOKEN = (
    "SELECT (SELECT count(*) FROM import_batches), (SELECT max(id) FROM import_batches), "
    "(SELECT generation FROM analytics_state WHERE id = 1)"
)
TOTAL = DIMENSIONS[:1]
BREAKDOWNS = DIMENSIONS[1:]
_CUBE = analytics_cube.name


class CubeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def stale(self) -> tuple[list[tuple[int, int]], list[int]]:
        """(new batches as (batch id, source id), ids of batches gone from the store)."""
        stored: dict[int, int] = {
            int(b): int(s)
            for b, s in self.session.execute(
                select(import_batches.c.id, import_batches.c.source_id)
            )
        }
        cached = set(self.session.scalars(select(analytics_cube_batches.c.batch_id)).all())
        new = sorted((b, s) for b, s in stored.items() if b not in cached)
        return new, sorted(cached - set(stored))

    def token(self) -> tuple[int, int, int]:
        """(import batches, highest batch id, generation): one cheap read that changes whenever
        the cube needs refreshing or its figures moved."""
        b = import_batches.c
        generation = select(analytics_state.c.generation).where(analytics_state.c.id == 1)
        count, highest, gen = self.session.execute(
            select(func.count(b.id), func.max(b.id), generation.scalar_subquery())
        ).one()
        return int(count), int(highest or 0), int(gen or 0)

    @staticmethod
    def read_token(engine: Engine) -> tuple[int, int, int]:
        """``token`` on a plain connection, without a session (the per-request read)."""
        # the driver's own cursor on a pooled connection: a quarter of the cost through
        # SQLAlchemy's connection and result (this runs on every analytics request)
        raw = engine.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(_TOKEN)
                count, highest, gen = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            raw.close()
        return int(count), int(highest or 0), int(gen or 0)

    def bump(self) -> None:
        """Raise the generation number (in the caller's transaction)."""
        s = analytics_state
        done = self.session.execute(
            update(s).where(s.c.id == 1).values(generation=s.c.generation + 1)
        ).rowcount
        if not done:
            self.session.execute(insert(s).values(id=1, generation=1))

    def refresh(self, breakdowns: bool = True) -> int:
        """Bring the cube's totals up to date, and its breakdowns when ``breakdowns``; returns
        the number of batches whose totals were added."""
        new, gone = self.stale()
        if gone:
            self._drop(gone)
        dimensions = DIMENSIONS if breakdowns else TOTAL  # new batches: one pass for all
        cached_sources = set(self.session.scalars(select(analytics_cube_batches.c.source_id)))
        # nothing in the cube yet (first build, rebuild): every stored batch is summed, the
        # observations read in one scan, and the cube's indexes built once after its rows
        whole = bool(new) and not cached_sources
        deferred = whole and defer_indexes(self.session, _CUBE)
        fresh = [(b, s) for b, s in new if s not in cached_sources]
        if fresh:  # a source new to the cube: all its batches summed at once, nothing to re-sum
            self._sum([b for b, _ in fresh], dimensions, every=whole)
            self.session.execute(
                insert(analytics_cube_batches),
                [{"batch_id": b, "source_id": s} for b, s in fresh],
            )
            if breakdowns:
                self._detailed([b for b, _ in fresh])
        for batch_id, source_id in [n for n in new if n[1] in cached_sources]:
            self._sum([batch_id], dimensions)
            if breakdowns:
                self._detailed([batch_id])
            self._resum_superseded(batch_id, source_id)
            self.session.execute(
                insert(analytics_cube_batches).values(batch_id=batch_id, source_id=source_id)
            )
        if breakdowns:
            self._sum_breakdowns()  # older batches whose breakdowns a re-sum forgot
        if deferred:
            restore_indexes(self.session, _CUBE)
        return len(new)

    def _detailed(self, batch_ids: list[int]) -> None:
        """Record that the cube holds these batches' breakdowns."""
        self.session.execute(
            insert(analytics_breakdown_batches), [{"batch_id": b} for b in batch_ids]
        )

    def _resum_superseded(self, batch_id: int, source_id: int) -> None:
        """A new batch may have superseded its source's older figures for the months it covers:
        when it did, their totals are summed again for those months and their breakdowns wait
        for the next read that needs them."""
        o = observations.c
        span = self.session.execute(
            select(func.min(o.period_start), func.max(o.period_start)).where(o.batch_id == batch_id)
        ).one()
        older = list(
            self.session.scalars(
                select(analytics_cube_batches.c.batch_id).where(
                    analytics_cube_batches.c.source_id == source_id
                )
            ).all()
        )
        if not older or span[0] is None:
            return
        # the exact term of the partial index ix_observations_superseded, so that it is used
        sqlite = self.session.get_bind().dialect.name == "sqlite"
        marked: Any = text("observations.superseded = 1") if sqlite else o.superseded
        touched = self.session.execute(
            select(o.id)
            .where(
                o.batch_id.in_(older),
                marked,
                o.route_id.is_not(None),  # only what the cube sums
                o.period_start.between(span[0], span[1]),
            )
            .limit(1)
        ).first()
        if touched is None:
            return
        self.session.execute(
            delete(analytics_cube).where(
                analytics_cube.c.batch_id.in_(older),
                analytics_cube.c.month.between(span[0], span[1]),
            )
        )
        self._sum(older, TOTAL, months=(span[0], span[1]))
        self._forget_breakdowns(older)

    def _forget_breakdowns(self, batch_ids: list[int]) -> None:
        c = analytics_cube.c
        self.session.execute(
            delete(analytics_cube).where(c.batch_id.in_(batch_ids), c.dimension != "total")
        )
        self.session.execute(
            delete(analytics_breakdown_batches).where(
                analytics_breakdown_batches.c.batch_id.in_(batch_ids)
            )
        )

    def _sum_breakdowns(self) -> None:
        """Sum the breakdowns of the batches whose totals are in the cube but not yet them."""
        pending = list(
            self.session.scalars(
                select(analytics_cube_batches.c.batch_id).where(
                    analytics_cube_batches.c.batch_id.not_in(
                        select(analytics_breakdown_batches.c.batch_id)
                    )
                )
            ).all()
        )
        if not pending:
            return
        self._forget_breakdowns(pending)  # a partial set left by a re-sum
        self._sum(pending, BREAKDOWNS)
        self._detailed(pending)

    def rebuild(self) -> int:
        self.session.execute(delete(analytics_cube))
        self.session.execute(delete(analytics_cube_batches))
        self.session.execute(delete(analytics_breakdown_batches))
        self.bump()
        return self.refresh()

    def resum_routes(self, route_ids: list[str]) -> None:
        """Sum again the figures of these routes for every batch the cube reflects (after their
        observations were re-attributed); batches not yet in the cube wait for ``refresh``."""
        self.bump()
        if not route_ids:
            return
        self.session.execute(delete(analytics_cube).where(analytics_cube.c.route_id.in_(route_ids)))
        cached = list(self.session.scalars(select(analytics_cube_batches.c.batch_id)).all())
        if cached:
            self._sum(cached, TOTAL, route_ids=route_ids)
        detailed = list(self.session.scalars(select(analytics_breakdown_batches.c.batch_id)))
        if detailed:
            self._sum(detailed, BREAKDOWNS, route_ids=route_ids)

    def _drop(self, batch_ids: list[int]) -> None:
        self.session.execute(delete(analytics_cube).where(analytics_cube.c.batch_id.in_(batch_ids)))
        for table in (analytics_cube_batches, analytics_breakdown_batches):
            self.session.execute(delete(table).where(table.c.batch_id.in_(batch_ids)))

    def _sum(
        self,
        batch_ids: list[int],
        dimensions: tuple[str, ...],
        months: tuple[date, date] | None = None,
        route_ids: list[str] | None = None,
        every: bool = False,
    ) -> None:
        sum_into_cube(self.session, batch_ids, dimensions, months, route_ids, every=every)

    def read(
        self,
        indicator: str,
        route_ids: Sequence[str],
        dimension: str,
        first: date | None = None,
        last: date | None = None,
    ) -> CubeRows:
        """The figures summed over batches and the batches behind them (``cube_read.py``)."""
        return read_cube(self.session, indicator, route_ids, dimension, first, last)

    def block(self, indicator: str, route_id: str, dimension: str) -> CubeBlock:
        """One indicator × route × breakdown summed over batches, as columns
        (``cube_blocks.py``)."""
        return read_block(self.session, indicator, route_id, dimension)

    def indicators(self) -> list[tuple[str, str]]:
        """(indicator, route id) pairs that have figures."""
        c = analytics_cube.c
        query = select(c.indicator, c.route_id).where(c.dimension == "total").distinct()
        return [(i, r) for i, r in self.session.execute(query)]

    def block_keys(self) -> list[tuple[str, str, str]]:
        """(indicator, route id, dimension) of every block the cube can answer: each
        (indicator, route) with figures, in every dimension."""
        return [(i, r, d) for i, r in self.indicators() for d in DIMENSIONS]

    def month_span(self, indicator: str) -> tuple[date, date] | None:
        c = analytics_cube.c
        # the exact term of the partial index, and one aggregate per subquery: each is then
        # one probe of ix_analytics_cube_span
        wanted = (c.indicator == indicator, text(SPAN_TERM))
        first, last = self.session.execute(
            select(
                select(func.min(c.month)).where(*wanted).scalar_subquery(),
                select(func.max(c.month)).where(*wanted).scalar_subquery(),
            )
        ).one()
        if first is None:
            return None
        return _as_date(first), _as_date(last)


def refresh_cube(db: Database, *, breakdowns: bool) -> int | None:
    """``CubeRepository.refresh`` in a transaction of its own; None when another process
    refreshed the same batches first (its cube rows collide with ours, ours roll back)."""
    try:
        with db.transaction() as session:
            return CubeRepository(session).refresh(breakdowns=breakdowns)
    except IntegrityError:
        return None


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
