"""Static files cached by content hash: pages link ``/static/css/itinera.css?v=<sha256 prefix>``
and such a URL is served with a year-long immutable ``Cache-Control``; a changed file gets a
new URL, so a browser never keeps a stale copy. URLs without the hash must be revalidated."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["HashedStaticFiles", "static_url"]

IMMUTABLE = "public, max-age=31536000, immutable"


def _root() -> Path:
    return Path(str(resources.files("itinera.web") / "static"))


@cache
def _digest(path: str) -> str:
    file = (_root() / path).resolve()
    if not file.is_file() or _root().resolve() not in file.parents:
        return ""
    return hashlib.sha256(file.read_bytes()).hexdigest()[:16]


def static_url(path: str) -> str:
    """The URL of a packaged static file, with its content hash when the file exists."""
    digest = _digest(path)
    return f"/static/{path}?v={digest}" if digest else f"/static/{path}"


class HashedStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        query = scope.get("query_string", b"").decode("latin-1")
        asked = dict(p.partition("=")[::2] for p in query.split("&") if p)
        if response.status_code == 200 and asked.get("v") and asked["v"] == _digest(path):
            response.headers["Cache-Control"] = IMMUTABLE
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response
