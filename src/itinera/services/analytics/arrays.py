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
snapshot and reloads it on its own first request after the token changed; a serving process
(``keep_warm``) then reads every block of the new token in a background thread, so that the
questions after an import do not each wait for the blocks they need (decision 0046).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from itinera.domain.analytics.cube_block import CubeBlock
from itinera.domain.analytics.series import Month
from itinera.services.analytics.cache import Token, ensure_current, is_current
from itinera.services.analytics.window import Headlines
from itinera.services.movements.coverage import incomplete_months
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database

__all__ = [
    "NotInMemoryError",
    "Snapshot",
    "keep_warm",
    "kept",
    "memory_only",
    "snapshot",
    "warm",
    "warming",
]

log = logging.getLogger(__name__)
_lock = threading.Lock()
_kept: weakref.WeakKeyDictionary[Database, Snapshot] = weakref.WeakKeyDictionary()
_kept_warm: weakref.WeakSet[Database] = weakref.WeakSet()  # read again after each change
_warming: weakref.WeakKeyDictionary[Database, threading.Thread] = weakref.WeakKeyDictionary()
_memory_only: ContextVar[bool] = ContextVar("analytics_memory_only", default=False)


class NotInMemoryError(Exception):
    """Under ``memory_only``: the answer needs a read of the database (a block not loaded yet,
    the cube to bring up to date). Not an Itinera error: the caller asks again off the loop."""


@contextmanager
def memory_only() -> Iterator[None]:
    """Answer from what this process holds, or raise ``NotInMemoryError`` before any read of
    the database (so that the web layer may answer on its event loop without blocking it)."""
    reset = _memory_only.set(True)
    try:
        yield
    finally:
        _memory_only.reset(reset)


def _reading() -> None:
    if _memory_only.get():
        raise NotInMemoryError


class Snapshot:
    """What a new question reads, at one freshness token (loaded piece by piece on demand)."""

    def __init__(self, db: Database, token: Token) -> None:
        self.db = db
        self.token = token
        self._blocks: dict[tuple[str, str, str], CubeBlock] = {}
        self._spans: dict[str, tuple[Month, Month] | None] = {}
        self._partial: set[str] | None = None
        self._routes: set[str] = set()
        self._headlines: dict[tuple[str, str, str], Headlines] = {}
        self._guard = threading.Lock()
        self._reads: dict[tuple[str, str, str], threading.Lock] = {}

    def block(self, indicator: str, route_id: str, dimension: str) -> CubeBlock:
        key = (indicator, route_id, dimension)
        found = self._blocks.get(key)
        if found is None:
            _reading()
            with self._guard:
                read = self._reads.setdefault(key, threading.Lock())
            with read:  # one read per block: the other threads asking for it wait for it
                found = self._blocks.get(key)
                if found is None:
                    with self.db.transaction() as session:
                        found = CubeRepository(session).block(indicator, route_id, dimension)
                    self._blocks[key] = found
        return found

    def headlines(
        self, indicator: str, route_id: str, dimension: str, preferred: tuple[str, ...]
    ) -> Headlines:
        """The block's window-free figures (``preferred``: the indicator's sources, fixed)."""
        key = (indicator, route_id, dimension)
        found = self._headlines.get(key)
        if found is None:
            rows = self.block(*key)
            totals = rows if dimension == "total" else self.block(indicator, route_id, "total")
            found = self._headlines[key] = Headlines(rows, totals, preferred)
        return found

    def span(self, indicator: str) -> tuple[Month, Month] | None:
        """The first and last month any route has a figure for ``indicator``."""
        if indicator not in self._spans:
            _reading()
            with self.db.transaction() as session:
                found = CubeRepository(session).month_span(indicator)
            self._spans[indicator] = (
                None
                if found is None
                else (Month(found[0].year, found[0].month), Month(found[1].year, found[1].month))
            )
        return self._spans[indicator]

    def holds(
        self,
        route_id: str,
        blocks: list[tuple[str, str, str]],
        spans: tuple[str, ...] = (),
        partial: bool = False,
    ) -> bool:
        """Whether these figures are in memory already (answering then reads no database)."""
        return (
            route_id in self._routes
            and all(key in self._blocks for key in blocks)
            and all(indicator in self._spans for indicator in spans)
            and (not partial or self._partial is not None)
        )

    def partial_months(self) -> set[str]:
        """Months a source's last incident date cuts short (issue 11)."""
        if self._partial is None:
            _reading()
            self._partial = incomplete_months(self.db)
        return self._partial

    def route_exists(self, route_id: str) -> bool:
        """Whether the catalogue has the route; only a yes is kept (deleting a route re-sums
        the cube, which changes the token; a new route is asked again)."""
        if route_id in self._routes:
            return True
        _reading()
        with self.db.transaction() as session:
            found = RouteRepository(session).exists(route_id)
        if found:
            self._routes.add(route_id)
        return found


def kept(db: Database, token: Token, breakdowns: bool) -> Snapshot | None:
    """The snapshot this process keeps, if the cube is up to date at ``token`` (its breakdowns
    too when asked), else None."""
    found = _kept.get(db)
    if found is None or found.token != token or not is_current(db, token, breakdowns):
        return None
    return found


def snapshot(db: Database, breakdowns: bool = False, known: Token | None = None) -> Snapshot:
    """The snapshot at the current token (``known``: as read at the start of the request), the
    cube brought up to date first (its breakdowns too when asked)."""
    if known is None or not is_current(db, known, breakdowns):
        _reading()
    now = ensure_current(db, breakdowns, known)
    if not is_current(db, now, breakdowns):
        return Snapshot(db, now)  # another process is refreshing: read, keep nothing
    kept = _kept.get(db)
    if kept is not None and kept.token == now:
        return kept
    with _lock:
        kept = _kept.get(db)
        replaced = kept is not None and kept.token != now
        if kept is None or kept.token != now:
            kept = _kept[db] = Snapshot(db, now)
    if replaced and db in _kept_warm:
        _warm_in_background(db)
    return kept


def warm(db: Database) -> int:
    """Every block of the cube read into this process's snapshot at the current token, with
    each indicator's span and the months cut short: what a serving process does before it
    accepts requests. Read on demand instead, the first questions after a start each waited
    for their blocks, seconds at 10 M observations (the 120 blocks take 7.6 s to read there,
    the 24 by nationality 4.9 s of it). Returns how many blocks were read."""
    return _warmed(db)[0]


def _warmed(db: Database) -> tuple[int, Token]:
    """``warm``'s blocks read, and the token they were read at."""
    held = snapshot(db, breakdowns=True)
    with db.transaction() as session:
        keys = CubeRepository(session).block_keys()
    for indicator, route_id, dimension in keys:
        held.route_exists(route_id)
        held.block(indicator, route_id, dimension)
    for indicator in {indicator for indicator, _, _ in keys}:
        held.span(indicator)
    held.partial_months()
    return len(keys), held.token


def keep_warm(db: Database) -> int:
    """``warm`` now, and again in a background thread each time this process first sees a new
    token (after an import, a rebuild, …): what ``itinera serve`` does. Returns the blocks read
    now."""
    _kept_warm.add(db)
    return warm(db)


def warming(db: Database) -> threading.Thread | None:
    """The background read of the blocks started last for ``db`` (running or done), if any."""
    return _warming.get(db)


def _warm_in_background(db: Database) -> None:
    """One background read per database at a time: the one running reads again if the token
    moved while it read (``Snapshot.block`` lets a request and it read a block once between
    them)."""
    with _lock:
        running = _warming.get(db)
        if running is not None and running.is_alive():
            return
        thread = _warming[db] = threading.Thread(
            target=_warm_quietly, args=(weakref.ref(db),), name="analytics-warm", daemon=True
        )
    thread.start()


def _warm_quietly(ref: weakref.ref[Database]) -> None:
    """A failed read is the next question's to report (it reads on demand); the log names the
    error type alone (no figure, no query)."""
    db = ref()
    if db is None:
        return
    try:
        blocks, token = _warmed(db)
        while (latest := _kept.get(db)) is not None and latest.token != token:
            blocks, token = _warmed(db)  # another change while the blocks were read
    except Exception as error:
        log.warning("analytics columns not read after a change (%s)", type(error).__name__)
        return
    log.info("analytics columns read after a change: %d block(s)", blocks)
