"""Cached answers of the analytics API (C3), keyed by the freshness token (``cache.py``).

``answer`` serves an endpoint: one indexed read (the token) on the event loop, then the answer
kept for (path, query, CSV or not, token, exact or suppressed figures, threshold), or a new one
built in the thread pool. ``in_front`` puts a plain route before an API route so that a public
request (no bearer token, no session cookie, no test override of the actor) already answered is
served before FastAPI parses and validates its parameters; a new public question whose
parameters are plainly well-formed is answered there too (``lean.py``): on the event loop when
the figures it needs are already in memory (about half a millisecond of numpy and Python; a thread
hop alone cost ~0.2 ms of CPU), else in one thread hop;
anything else (an invalid or unknown request, CSV, a logged-in caller) goes on to the API route
unchanged. Only answers that were built (valid requests) are kept, so nothing unvalidated is
ever served.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from itinera.domain.access import ANONYMOUS, Action, Actor, can, require
from itinera.services.analytics import cache
from itinera.services.analytics.arrays import NotInMemoryError, memory_only
from itinera.services.store import Database
from itinera.web.deps import current_actor
from itinera.web.routers.analytics.lean import LeanAnswer
from itinera.web.security import SESSION_COOKIE, bearer_token

__all__ = ["answer", "in_front", "lead"]

Kept = tuple[bytes, int, str | None, dict[str, str]]
Lean = Callable[[Request], LeanAnswer | None]


def _credentials(request: Request) -> bool:
    return bearer_token(request) is not None or bool(request.cookies.get(SESSION_COOKIE))


def _key(request: Request, token: cache.Token, exact: bool, threshold: int) -> Hashable:
    csv = "text/csv" in request.headers.get("accept", "")
    query = request.scope.get("query_string", b"")
    return (request.scope["path"], query, csv, token, exact, threshold)  # no URL parsed


def _response(kept: Kept) -> Response:
    body, status, media_type, headers = kept
    return Response(body, status, headers, media_type)


def _kept(response: Response) -> Kept:
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    return bytes(response.body), response.status_code, response.media_type, headers


async def answer(
    request: Request, db: Database, actor: Actor, threshold: int, build: Callable[[], Response]
) -> Response:
    """The kept answer when the figures behind it have not changed, else a new one."""
    require(actor, Action.VIEW_AGGREGATES)
    now = cache.token(db)
    if not cache.is_current(db, now):
        now = await run_in_threadpool(cache.ensure_current, db)
    key = _key(request, now, can(actor, Action.VIEW_EXACT_FIGURES), threshold)
    found: Any = cache.lookup(db, key)
    if found is None:
        found = _kept(await run_in_threadpool(build))
        cache.keep(db, key, found)
    return _response(found)


class _FromCache:
    """ASGI app: a public request already answered at the current token, or a new public
    question ``lean`` can parse, else the API route of ``endpoint`` as the application included
    it (with its dependency overrides)."""

    def __init__(self, endpoint: Callable[..., Any], lean: Lean) -> None:
        self.endpoint = endpoint
        self.lean = lean
        self.routes: weakref.WeakKeyDictionary[Any, APIRoute] = weakref.WeakKeyDictionary()

    def _route(self, app: Any) -> APIRoute:
        if app not in self.routes:
            self.routes[app] = next(
                r
                for r in app.router.routes
                if isinstance(r, APIRoute) and r.endpoint is self.endpoint
            )
        return self.routes[app]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        public = not _credentials(request) and current_actor not in request.app.dependency_overrides
        if public and can(ANONYMOUS, Action.VIEW_AGGREGATES):
            db: Database = request.app.state.database
            now = cache.token(db)
            threshold = request.app.state.settings.analytics_suppression_threshold
            key = _key(request, now, False, threshold)
            found: Any = cache.lookup(db, key) if cache.is_current(db, now) else None
            if found is None and (lean := self.lean(request)) is not None:
                body = await _lean_body(lean, db, threshold, now)
                if body is not None:
                    found = (body, 200, "application/json", {})
                    cache.keep(db, key, found)
            if found is not None:
                await _response(found)(scope, receive, send)
                return
        await self._route(scope["app"]).handle(scope, receive, send)


async def _lean_body(
    lean: LeanAnswer, db: Database, threshold: int, now: cache.Token
) -> bytes | None:
    """On the event loop when the figures are in memory (``memory_only`` guards that no read
    of the database slips in), else in a worker thread."""
    if lean.in_memory(db, now):
        try:
            with memory_only():
                return lean.build(db, threshold, now)
        except NotInMemoryError:
            pass
    return await run_in_threadpool(lean.build, db, threshold, now)


def lead(app: FastAPI) -> None:
    """Move the ``_FromCache`` routes to the head of the application's routes: Starlette tries
    each route in turn, and some thirty came before them (decision 0039). Their paths are
    specific (``/api/routes/{route_id}/series``, …) and no route before them matched them."""
    fronts = [
        r for r in app.router.routes if isinstance(r, Route) and isinstance(r.app, _FromCache)
    ]
    app.router.routes[:] = fronts + [r for r in app.router.routes if r not in fronts]


def in_front(router: APIRouter, endpoints: Mapping[Callable[..., Any], Lean]) -> None:
    """Put a ``_FromCache`` route before the API routes of these endpoints (each with the
    parser of its new public questions)."""
    for route in list(router.routes):
        if isinstance(route, APIRoute) and route.endpoint in endpoints:
            front = Route(
                route.path,
                _FromCache(route.endpoint, endpoints[route.endpoint]),
                methods=["GET"],
                include_in_schema=False,
            )
            router.routes.insert(router.routes.index(route), front)
