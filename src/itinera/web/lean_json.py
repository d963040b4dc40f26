"""A lighter route for a hot public JSON POST (issue 14, decision 0033).

For each request FastAPI's route handler opens two exit stacks, parses the content type with
``email.message``, decodes the JSON into Python objects, solves the dependencies, validates the
body from those objects, calls the endpoint, validates and serialises the response model again,
and Starlette wraps it all in a per-request exception wrapper. For the public intake under 200
clients that was most of the event loop's work per request.

:class:`LeanJsonRoute` keeps the declaration (path, body model, response model, status codes,
OpenAPI) and serves the request itself: the body read once (still counted by the body-size
middleware), validated by the body model straight from the bytes (``model_validate_json``), and
the endpoint called as ``endpoint(body, request)``, returning its own response. A bad body
raises the same ``RequestValidationError`` as FastAPI's (locations under ``body``), so it is
answered 422 in the house shape; every other error reaches the app's handlers as before. The
endpoint takes no dependencies (it asks the request for what it needs).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["LeanJsonRoute"]

LeanEndpoint = Callable[[Any, Request], Awaitable[Response]]


def _is_json(content_type: str | None) -> bool:
    """FastAPI's rule: no content type, ``application/json`` or ``application/…+json``."""
    if not content_type:
        return True
    kind = content_type.partition(";")[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


class LeanJsonRoute(APIRoute):
    """An ``APIRoute`` whose endpoint is ``async (body: Model, request) -> Response``."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.body_field is None or not issubclass(self.body_field.type_, BaseModel):
            raise TypeError(f"{path}: a lean JSON route needs a pydantic body model")
        self.app = _serve(self.body_field.type_, endpoint)


def _serve(model: type[BaseModel], endpoint: LeanEndpoint) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        raw = await request.body()
        if not _is_json(request.headers.get("content-type")):
            raise RequestValidationError([_not_an_object(raw)], body=raw)
        try:
            body = model.model_validate_json(raw)
        except PydanticValidationError as error:
            located = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
            raise RequestValidationError(located, body=raw) from None
        response = await endpoint(body, request)
        await response(scope, receive, send)

    return app


def _not_an_object(raw: bytes) -> dict[str, Any]:
    return {
        "type": "model_attributes_type",
        "loc": ("body",),
        "msg": "Input should be a valid dictionary or object to extract fields from",
        "input": raw,
    }
