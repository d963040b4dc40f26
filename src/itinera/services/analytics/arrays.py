"""The cube's figures kept as columns in this process, per freshness token (issue 13, decision
0036).

A materialised aggregate, not an answer cache: each indicator × route × breakdown of the cube,
summed over batches, is read once (``CubeRepository.block``) and kept as numpy arrays until the
freshness token changes (a new or removed batch, a superseding vintage, a route re-attribution,
a rebuild: ``cache.py``); every request still computes its own answer from them. Beside them,
per token: each indicator's first and last month, the months a source covers in part, and the
routes known to exist. A snapshot is kept only once this process has brought the cube up to date
at that token (``cache.is_current``); otherwise (another process was refreshing it) the request
reads from a snapshot of its own, discarded after it. Each worker process keeps its own
snapshot and reloads it on its own first request after the token changed.
"""

from __future__ import annotations

import threading
import weakref

from itinera.domain.analytics.cube_block import CubeBlock
from itinera.domain.analytics.series import Month
from itinera.services.analytics.cache import Token, ensure_current, is_current
from itinera.services.movements.coverage import incomplete_months
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database

__all__ = ["Snapshot", "snapshot"]

_lock = threading.Lock()
_kept: weakref.WeakKeyDictionary[Database, Snapshot] = weakref.WeakKeyDictionary()


class Snapshot:
    """What a new question reads, at one freshness token (loaded piece by piece on demand)."""

    def __init__(self, db: Database, token: Token) -> None:
        self.db = db
        self.token = token
        self._blocks: dict[tuple[str, str, str], CubeBlock] = {}
        self._spans: dict[str, tuple[Month, Month] | None] = {}
        self._partial: set[str] | None = None
        self._routes: set[str] = set()

    def block(self, indicator: str, route_id: str, dimension: str) -> CubeBlock:
        key = (indicator, route_id, dimension)
        found = self._blocks.get(key)
        if found is None:  # two threads may both read it: the same rows, no harm
            with self.db.transaction() as session:
                found = CubeRepository(session).block(indicator, route_id, dimension)
            self._blocks[key] = found
        return found

    def span(self, indicator: str) -> tuple[Month, Month] | None:
        """The first and last month any route has a figure for ``indicator``."""
        if indicator not in self._spans:
            with self.db.transaction() as session:
                found = CubeRepository(session).month_span(indicator)
            self._spans[indicator] = (
                None
                if found is None
                else (Month(found[0].year, found[0].month), Month(found[1].year, found[1].month))
            )
        return self._spans[indicator]

    def partial_months(self) -> set[str]:
        """Months a source's last incident date cuts short (issue 11)."""
        if self._partial is None:
            self._partial = incomplete_months(self.db)
        return self._partial

    def route_exists(self, route_id: str) -> bool:
        """Whether the catalogue has the route; only a yes is kept (deleting a route re-sums
        the cube, which changes the token; a new route is asked again)."""
        if route_id in self._routes:
            return True
        with self.db.transaction() as session:
            found = RouteRepository(session).exists(route_id)
        if found:
            self._routes.add(route_id)
        return found


def snapshot(db: Database, breakdowns: bool = False) -> Snapshot:
    """The snapshot at the current token, the cube brought up to date first (its breakdowns
    too when asked)."""
    now = ensure_current(db, breakdowns)
    if not is_current(db, now, breakdowns):
        return Snapshot(db, now)  # another process is refreshing: read, keep nothing
    kept = _kept.get(db)
    if kept is not None and kept.token == now:
        return kept
    with _lock:
        kept = _kept.get(db)
        if kept is None or kept.token != now:
            kept = _kept[db] = Snapshot(db, now)
    return kept
