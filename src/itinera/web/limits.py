"""Request body limits per route, enforced before the body is read (issue 10, item 8).

JSON bodies and page forms are small (``ITINERA_MAX_BODY_BYTES``); only the upload routes
(``UPLOAD_PATHS``) accept up to ``ITINERA_MAX_UPLOAD_BYTES`` plus room for their form fields,
and their files are streamed by the multipart parser to temporary files, never held whole.
A declared ``Content-Length`` past the limit is answered 413 without reading a byte; a body
without one (chunked) is counted as it arrives and cut off at the limit.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from itinera.web.errors import error_body

__all__ = [
    "FORM_FIELDS_ALLOWANCE",
    "UPLOAD_PATHS",
    "BodySizeLimitMiddleware",
    "safe_upload_name",
]

UPLOAD_PATHS = frozenset({"/api/imports", "/api/services/import", "/imports", "/services/import"})
FORM_FIELDS_ALLOWANCE = 1 << 20  # the fields and multipart framing beside an uploaded file


_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_upload_name(name: str | None) -> str:
    """The client's file name as a plain name inside our temporary folder: no folders, no
    ``..``, no control characters, at most 100 characters (the suffix kept); ``upload``
    when nothing usable is left. Issues cite it, so it stays recognisable."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = _UNSAFE.sub("_", base).strip(" .")
    if len(base) > 100:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[:90] + dot + suffix[:9]) if dot and len(suffix) < 10 else base[:100]
    return base or "upload"


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit:,} bytes, the limit of this route"


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, body_limit: int, upload_limit: int) -> None:
        self.app = app
        self.body_limit = body_limit
        self.upload_limit = upload_limit + FORM_FIELDS_ALLOWANCE

    def limit_for(self, path: str) -> int:
        return self.upload_limit if path.rstrip("/") in UPLOAD_PATHS else self.body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(error_body("payload_too_large", _too_large(limit))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
