"""One JSON error shape for the whole API (STYLE.md rule 4), pinned by a test.

{"error": {"code": "validation_error", "message": "...",
           "fields": [{"field": "countries[0].country", "message": "..."}]}}

401 and 403 follow RFC 9110: an API request that came without credentials and needs them
answers 401 ``authentication_required`` with ``WWW-Authenticate: Bearer`` (so HTTP clients know
to send a token); credentials that are wrong answer 401 too; 403 ``permission_denied`` is for a
caller we know whose role does not allow the action. Pages keep their own answer (a redirect to
/login), so the 401 is limited to ``/api/``.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from itinera.domain.access import ANONYMOUS, AuthenticationError
from itinera.domain.errors import (
    ConflictError,
    ItineraError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from itinera.services.store import store_unavailable

__all__ = [
    "error_body",
    "install_error_handlers",
    "log_unexpected",
    "store_unavailable_response",
]

log = logging.getLogger(__name__)
CHALLENGE = {"WWW-Authenticate": "Bearer"}
RETRY_AFTER = {"Retry-After": "30"}

STATUS = {
    AuthenticationError: 401,  # before PermissionDeniedError, its parent
    NotFoundError: 404,
    ConflictError: 409,
    PermissionDeniedError: 403,
    ValidationError: 422,
}


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _without_credentials(request: Request, exc: ItineraError) -> bool:
    """A refusal of an API call that carried no credentials at all (no token, no session)."""
    if not isinstance(exc, PermissionDeniedError) or isinstance(exc, AuthenticationError):
        return False
    actor = getattr(request.state, "actor", None)  # set by web.security.resolve_actor
    return request.url.path.startswith("/api/") and actor == ANONYMOUS


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "countries", 0, "country")`` → ``countries[0].country``."""
    parts = list(location)
    if parts and parts[0] == "body":
        parts = parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def _is_page(request: Request) -> bool:
    """A browser asking for a page (not the JSON API): it gets a page, never raw JSON."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def _error_page(request: Request, status: int) -> Response:
    """The error as a sentence in the reader's language (web/templates/error.html)."""
    from itinera.web.i18n import choose_language
    from itinera.web.templating import render

    language = choose_language(request, request.app.state.settings.default_language)
    return render(request, "error.html", language, status_code=status, status=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ItineraError)
    async def _itinera(request: Request, exc: ItineraError) -> Response:
        if _is_page(request) and not isinstance(exc, AuthenticationError):
            status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
            return _error_page(request, status)
        if _without_credentials(request, exc):
            body = error_body("authentication_required", f"log in first: {exc.message}")
            return JSONResponse(body, status_code=401, headers=CHALLENGE)
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        fields = (
            [{"field": e.field, "message": e.message} for e in exc.errors]
            if isinstance(exc, ValidationError)
            else None
        )
        headers = CHALLENGE if status == 401 else None
        body = error_body(exc.code, exc.message, fields)
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _request(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [{"field": field_path(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        message = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return JSONResponse(error_body("validation_error", message, fields), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_page(request) and exc.status_code in (403, 404, 405):
            return _error_page(request, exc.status_code)
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        if store_unavailable(exc):
            return store_unavailable_response(request, exc)
        log_unexpected(exc)
        return JSONResponse(error_body("internal_error", "internal error"), status_code=500)


def store_unavailable_response(request: Request, exc: Exception) -> Response:
    """503 with Retry-After, the error's type in the log (its message may hold a path or a
    row), no traceback to the client; the page says so without asking the database who is
    logged in."""
    log.error("database unavailable: %s", type(getattr(exc, "orig", None) or exc).__name__)
    # Drop pooled connections: they may point at a file or server that is gone; the next
    # request connects afresh, so the service recovers as soon as the database is back.
    request.app.state.database.dispose()
    if _is_page(request):
        request.state.actor = ANONYMOUS
        page = _error_page(request, 503)
        page.headers.update(RETRY_AFTER)
        return page
    body = error_body("store_unavailable", "the database is unavailable; try again shortly")
    return JSONResponse(body, status_code=503, headers=RETRY_AFTER)


def log_unexpected(exc: BaseException) -> None:
    """Log the type and where it was raised, never the message: messages of unexpected errors
    may carry personal data (a value that failed to parse, a row of a case)."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unexpected error: %s\n%s", type(exc).__name__, frames)
