"""CSRF protection of the JSON API when a browser's session cookie authenticates it (issue 10,
item 14).

A call under ``/api/`` that changes something (any method but GET, HEAD, OPTIONS), carries the
session cookie and no bearer token must send ``X-CSRF-Token`` (the token pages embed as
``csrf_token``, an HMAC of the browser's CSRF seed cookie). A cross-site page can send the
cookie but can neither read the seed nor set the header without a CORS preflight, which this
application never grants; so it can neither act as the user nor log them out
(``/api/auth/logout`` included). Programs with a bearer token are unaffected.
"""

from __future__ import annotations

import hmac
import json

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from itinera.web.errors import error_body
from itinera.web.security import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, bearer_token, sign_seed

__all__ = ["ApiCsrfMiddleware"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Logging in uses no authority of the cookie it may carry (it checks a password).
EXEMPT_PATHS = frozenset({"/api/auth/login"})


class ApiCsrfMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or not scope["path"].startswith("/api/")
            or scope["path"] in EXEMPT_PATHS
            or not any(name == b"cookie" for name, _ in scope["headers"])  # no session cookie
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if not request.cookies.get(SESSION_COOKIE) or bearer_token(request) is not None:
            await self.app(scope, receive, send)
            return
        seed = request.cookies.get(CSRF_COOKIE)
        sent = request.headers.get(CSRF_HEADER, "")
        secret = scope["app"].state.settings.secret_key
        if seed and sent and hmac.compare_digest(sent, sign_seed(secret, seed)):
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            error_body(
                "csrf_failed",
                "a call authenticated by the session cookie must send the X-CSRF-Token header",
            )
        ).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode("ascii")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
