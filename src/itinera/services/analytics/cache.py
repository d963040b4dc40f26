"""The freshness token and cached answers of the analytics endpoints (C3).

Every read starts with one indexed query: the token (import batches, highest batch id, the cube's
generation number). When it has not changed since this process last refreshed the cube, nothing is
summed; otherwise ``CubeRepository.refresh`` catches up. Answers (series, mortality, overview) are
then kept in memory keyed by (token, exact or suppressed, threshold, request): a new import, a
superseding vintage, a route re-attribution or a rebuild changes the token, so a cached answer is
never served after the figures behind it changed — in this process or another one. The cache is
bounded (``CACHE_SIZE`` answers per database, least recently used dropped first).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from itinera.storage.analytics.analytics_repository import CubeRepository, refresh_cube
from itinera.storage.database import Database

__all__ = [
    "CACHE_SIZE",
    "Token",
    "cached",
    "ensure_current",
    "is_current",
    "keep",
    "lookup",
    "sum_imported",
    "token",
]

log = logging.getLogger(__name__)
CACHE_SIZE = 512
Token = tuple[int, int, int]
T = TypeVar("T")

_refresh_lock = threading.Lock()
_cache_lock = threading.Lock()
# database -> breakdowns summed too? -> token at the last refresh
_current: weakref.WeakKeyDictionary[Database, dict[bool, Token]] = weakref.WeakKeyDictionary()
_answers: weakref.WeakKeyDictionary[Database, OrderedDict[Hashable, object]] = (
    weakref.WeakKeyDictionary()
)


def token(db: Database) -> Token:
    return CubeRepository.read_token(db.engine)


def is_current(db: Database, now: Token, breakdowns: bool = False) -> bool:
    """Whether this process brought the cube up to date at token ``now`` already."""
    seen = _current.get(db, {})
    return seen.get(breakdowns) == now or (not breakdowns and seen.get(True) == now)


def ensure_current(db: Database, breakdowns: bool = False, known: Token | None = None) -> Token:
    """Bring the cube up to date (totals, and breakdowns when asked) unless the token shows
    nothing changed since this process last did; returns the token (``known``: the token the
    caller read at the start of its request, not read again)."""
    now = token(db) if known is None else known
    if is_current(db, now, breakdowns):
        return now
    with _refresh_lock:
        seen = _current.setdefault(db, {})
        if seen.get(breakdowns) == now:
            return now
        added = refresh_cube(db, breakdowns=breakdowns)
        if added is None:  # another process refreshed first: check again next time
            return now
        seen[breakdowns] = now
    if added:
        log.info("analytics cube: %d batch(es) added", added)
    return now


def sum_imported(db: Database) -> None:
    """Sum new batches into the cube, totals and breakdowns: the movement import job's last
    step, after the import's transaction committed (issue 13: the first breakdown asked after
    a large import then reads sums already there)."""
    ensure_current(db, breakdowns=True)


def lookup(db: Database, key: Hashable) -> object | None:
    """The answer kept for ``key`` (which must hold the current token), else None."""
    with _cache_lock:
        answers = _answers.setdefault(db, OrderedDict())
        if key in answers:
            answers.move_to_end(key)
            return answers[key]
    return None


def keep(db: Database, key: Hashable, value: object) -> None:
    with _cache_lock:
        answers = _answers.setdefault(db, OrderedDict())
        answers[key] = value
        while len(answers) > CACHE_SIZE:
            answers.popitem(last=False)


def cached(db: Database, key: Hashable, build: Callable[[], T]) -> T:
    """The answer for ``key`` (which must hold the current token), built once."""
    found = lookup(db, key)
    if found is not None:
        return found  # type: ignore[return-value]
    value = build()
    keep(db, key, value)
    return value
