"""Published articles kept rendered for a short while: the public article page is the gateway's
most read page, and rendering Markdown and sanitising it on every request made it five times
slower than the health check under 200 clients (benchmarks/gateway_load.py).

The web layer may keep the page rendered from an entry beside it (the article page has nothing
that depends on the request). An entry lives ``ttl`` seconds (30 by default), so a published
change, an archived or withdrawn article reaches readers within that time; only published
translations are kept (a miss is never remembered, so unknown slugs cannot fill the memory), at
most ``size`` of them.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from itinera.services.gateway.articles import ReadArticle, read_article
from itinera.storage.database import Database

__all__ = ["PublishedArticles"]


class PublishedArticles:
    def __init__(
        self,
        db: Database,
        ttl: float = 30.0,
        size: int = 2000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db, self.ttl, self.size, self.clock = db, ttl, size, clock
        # (slug, language) -> (read at, the article, the page rendered from it or None)
        self._kept: OrderedDict[tuple[str, str], tuple[float, ReadArticle, bytes | None]] = (
            OrderedDict()
        )
        self._lock = Lock()

    def cached(self, slug: str, language: str) -> ReadArticle | None:
        """The article if rendered less than ``ttl`` ago (no database access: safe on the
        event loop)."""
        with self._lock:
            found = self._kept.get((slug, language))
            if found is None or self.clock() - found[0] > self.ttl:
                return None
            return found[1]

    def page(self, slug: str, language: str) -> bytes | None:
        """The page already rendered from a fresh article, if the web layer kept one."""
        with self._lock:
            found = self._kept.get((slug, language))
            if found is None or self.clock() - found[0] > self.ttl:
                return None
            return found[2]

    def keep_page(self, slug: str, language: str, body: bytes) -> None:
        """Keep the page rendered from the article (it lives as long as the article does)."""
        with self._lock:
            found = self._kept.get((slug, language))
            if found is not None:
                self._kept[(slug, language)] = (found[0], found[1], body)

    def read(self, slug: str, language: str) -> ReadArticle:
        """Read and render (NotFoundError for anything not published), then keep it."""
        found = read_article(self.db, slug, language)
        with self._lock:
            self._kept[(slug, language)] = (self.clock(), found, None)
            self._kept.move_to_end((slug, language))
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return found
