"""Security headers on every response (issue 10, item 3), pages, API, static files and errors.

The Content-Security-Policy allows scripts and styles only from this server (no inline script,
no ``eval``, no CDN), so a text from data that slipped into the DOM as HTML still could not run.
Templates therefore carry no ``<script>`` body and no ``on*=`` attribute (a test checks); data
for scripts travels in ``data-*`` attributes or ``<script type="application/json">``. Images
may also come from the optional tile server (``ITINERA_TILE_URL``).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from itinera.services.store import store_unavailable
from itinera.web.errors import error_body, log_unexpected, store_unavailable_response

__all__ = ["SecurityHeadersMiddleware", "content_security_policy"]

_INTERNAL_ERROR_BODY = json.dumps(error_body("internal_error", "internal error")).encode()
_INTERNAL_ERROR_START: Message = {
    "type": "http.response.start",
    "status": 500,
    "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(_INTERNAL_ERROR_BODY)).encode()),
    ],
}


def content_security_policy(tile_url: str | None = None) -> str:
    images = ["'self'", "data:"]
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        images.append(f"{parts.scheme}://{host}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {' '.join(images)}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, tile_url: str | None = None) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(tile_url).encode("latin-1")),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        self.names = {name for name, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                kept = [h for h in message.get("headers", []) if h[0].lower() not in self.names]
                message = {**message, "headers": [*kept, *self.headers]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # Answered here rather than by the server's last-resort handler, which sits outside
            # this middleware (no headers) and logs the message (personal data).
            if started:
                raise
            if store_unavailable(exc):
                answer = store_unavailable_response(Request(scope), exc)
                await answer(scope, receive, send_with_headers)
                return
            log_unexpected(exc)
            await send_with_headers(_INTERNAL_ERROR_START)
            await send({"type": "http.response.body", "body": _INTERNAL_ERROR_BODY})
