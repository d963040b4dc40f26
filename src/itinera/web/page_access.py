"""Page access for form pages: log in first, then only users allowed to do the action.

Shared by the import and editing pages (the JSON API answers 401/403 through the error
handlers instead)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from itinera.domain.access import Action, Actor, can
from itinera.domain.errors import ItineraError
from itinera.web.security import verify_csrf
from itinera.web.templating import render

__all__ = ["checked_form", "page_gate", "problems_of"]


def page_gate(
    request: Request, actor: Actor, language: str, action: Action, forbidden: str, **context: object
) -> Response | None:
    """``None`` when ``actor`` may do ``action``; else the login redirect or a 403 page."""
    if can(actor, action):
        return None
    if actor.user_id is None:
        target = request.url.path
        return RedirectResponse(f"/login?lang={language}&next={target}", status_code=303)
    return render(request, forbidden, language, status_code=403, **context)


def problems_of(error: ItineraError) -> list[dict[str, str]]:
    """An error as the ``problems`` list the form templates show (field, message)."""
    found = [{"field": e.field, "message": e.message} for e in getattr(error, "errors", [])]
    return found or [{"field": "", "message": error.message}]


async def checked_form(
    request: Request, handle: Callable[[FormData], Awaitable[Response]]
) -> Response:
    """Read the posted form, refuse it without the CSRF token (403), else ``handle`` it; the
    uploaded files are closed whatever happens."""
    form = await request.form()
    try:
        await verify_csrf(request)
        return await handle(form)
    finally:
        await form.close()
