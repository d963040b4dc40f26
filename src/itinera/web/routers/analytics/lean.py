"""New public questions answered before FastAPI's parameter handling (issue 13, decisions 0036
and 0039).

A profile of a new series question through the application (no HTTP) gave ~1.8 ms of CPU, of
which the answer itself (numpy on the cube's columns) was ~0.5 ms: FastAPI's solving of the
dependencies and query parameters, three thread hops and a second token read were the rest.
For a public request (no credentials: ``answers._FromCache`` decides) whose parameters are all
plainly well-formed, these parsers give a ``LeanAnswer``: whether the figures it needs are in
memory already (then ``answers.py`` computes it on the event loop, else in one thread hop), and
``build(db, threshold, token)`` that computes it as JSON bytes by orjson (the same JSON value
as the declared route's ``JSONResponse``, for much less CPU). Anything else — an unknown or
repeated parameter, a value the API's declaration would refuse, CSV, an answer the service
refuses (unknown route or indicator, ``to`` before ``from``) — returns ``None`` and the request
goes on to the declared API route, which validates, answers or refuses it exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import orjson
from fastapi import Request

from itinera.domain.access import ANONYMOUS
from itinera.domain.errors import ItineraError
from itinera.services.analytics import dashboard as dashboard_service
from itinera.services.analytics import series as series_service
from itinera.services.analytics.cache import Token
from itinera.services.store import Database

__all__ = ["LeanAnswer", "lean_mortality", "lean_overview", "lean_series"]


@dataclass(frozen=True)
class LeanAnswer:
    in_memory: Callable[[Database, Token], bool]
    """Whether ``build`` would read nothing from the database at that token."""
    build: Callable[[Database, int, Token], bytes | None]
    """The answer's JSON, or None when the API route should answer (it raises the same
    error)."""


_MONTH = re.compile(r"\d{4}-\d{2}\Z")
_COUNTRY = re.compile(r"[A-Za-z]{3}\Z")
_BY = frozenset({"nationality", "sex", "age_group", "country"})
_SERIES = frozenset({"indicator", "from", "to", "by", "top", "country", "format"})
_MORTALITY = frozenset({"from", "to", "format"})


def _parameters(request: Request, allowed: frozenset[str]) -> dict[str, str] | None:
    """The query as a plain mapping, or None when a parameter is unknown or repeated, the
    answer asked is CSV, or a month is not YYYY-MM."""
    items = request.query_params.multi_items()
    found = dict(items)
    if len(found) != len(items) or not found.keys() <= allowed:
        return None
    if found.get("format", "json") != "json" or "text/csv" in request.headers.get("accept", ""):
        return None
    if any(k in found and not _MONTH.match(found[k]) for k in ("from", "to")):
        return None
    return found


def _route_id(request: Request) -> str | None:
    route_id = request.path_params.get("route_id")
    return route_id if isinstance(route_id, str) and len(route_id) <= 64 else None


def _top(text: str | None) -> int | None | bool:
    """The ``top`` asked (None: not asked), or False when it is not an integer in 1–200."""
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 200:
        return False
    return int(text)


def _json(answer: Callable[[], Mapping[str, object]]) -> bytes | None:
    try:
        return orjson.dumps(answer())
    except ItineraError:  # the API route raises it again, in the house's error shape
        return None


def lean_series(request: Request) -> LeanAnswer | None:
    found, route_id = _parameters(request, _SERIES), _route_id(request)
    if found is None or route_id is None:
        return None
    indicator, by, country = found.get("indicator"), found.get("by"), found.get("country")
    top = _top(found.get("top"))
    if indicator is None or len(indicator) > 40 or top is False:
        return None
    if (by is not None and by not in _BY) or (country is not None and not _COUNTRY.match(country)):
        return None
    asked = (found.get("from"), found.get("to"), by, top if isinstance(top, int) else None)

    def in_memory(db: Database, token: Token) -> bool:
        return series_service.series_in_memory(db, token, route_id, indicator, by, country)

    def build(db: Database, threshold: int, token: Token) -> bytes | None:
        return _json(
            lambda: series_service.route_series(
                db, ANONYMOUS, route_id, indicator, *asked, threshold, country, token
            )
        )

    return LeanAnswer(in_memory, build)


def lean_mortality(request: Request) -> LeanAnswer | None:
    found, route_id = _parameters(request, _MORTALITY), _route_id(request)
    if found is None or route_id is None:
        return None
    first, last = found.get("from"), found.get("to")

    def in_memory(db: Database, token: Token) -> bool:
        return series_service.mortality_in_memory(db, token, route_id)

    def build(db: Database, threshold: int, token: Token) -> bytes | None:
        return _json(
            lambda: series_service.route_mortality(
                db, ANONYMOUS, route_id, first, last, threshold, token
            )
        )

    return LeanAnswer(in_memory, build)


def _never(db: Database, token: Token) -> bool:
    return False


def lean_overview(request: Request) -> LeanAnswer | None:
    """The overview (about 40 series) always in a worker thread."""
    if request.query_params:
        return None

    def build(db: Database, threshold: int, token: Token) -> bytes | None:
        return _json(lambda: dashboard_service.overview(db, ANONYMOUS, threshold))

    return LeanAnswer(_never, build)
