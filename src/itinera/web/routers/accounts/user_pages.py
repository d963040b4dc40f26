"""The administrator's page of the user lifecycle (issue 10, item 11): the users of their own
organisation; deactivate or reactivate, change the role, set a new password.

The same services as ``itinera users …`` and ``/api/admin/users/…`` (``services/accounts/
lifecycle.py``): the same checks (own organisation only), the same revocation of every
session and token, the same audit. CSRF-protected forms; a success redirects (PRG) to the list
with a notice, a refusal shows the list again with the problem and saves nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.domain.access import Actor, Role
from itinera.domain.errors import ItineraError, NotFoundError
from itinera.services.accounts import lifecycle
from itinera.services.accounts import users as accounts
from itinera.services.store import Database
from itinera.web.deps import ActorDep, CsrfDep, DatabaseDep, LanguageDep
from itinera.web.form_messages import plain_problems
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
ROLES = tuple(role.value for role in Role if role is not Role.PUBLIC)
NOTICES = ("deactivated", "activated", "role", "password")


def _page(
    request: Request,
    db: Database,
    actor: Actor,
    language: str,
    *,
    problems: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    users = sorted(accounts.list_users(db, actor), key=lambda u: u.username.casefold())
    notice = request.query_params.get("done")
    return render(
        request,
        "admin_users.html",
        language,
        status_code=status_code,
        users=users,
        roles=ROLES,
        own_username=actor.username,
        notice=notice if notice in NOTICES else None,
        who=request.query_params.get("user", "")[:64],
        problems=problems or [],
    )


@router.get("/admin/users", response_class=HTMLResponse, response_model=None)
def users_page(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if actor.user_id is None:
        return RedirectResponse(f"/login?next=/admin/users&lang={language}", status_code=303)
    return _page(request, db, actor, language)


async def _change(
    request: Request, db: Database, actor: Actor, language: str, username: str, what: str
) -> Response:
    if actor.user_id is None:
        return RedirectResponse(f"/login?next=/admin/users&lang={language}", status_code=303)
    form: dict[str, Any] = dict((await request.form()).multi_items())
    username = username[:64]
    try:
        notice = await run_in_threadpool(_apply, db, actor, username, what, form)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=username)
    except ItineraError as exc:
        problems = plain_problems(exc, language, form)
        return await run_in_threadpool(
            lambda: _page(request, db, actor, language, problems=problems, status_code=422)
        )
    return RedirectResponse(
        f"/admin/users?lang={language}&done={notice}&user={quote(username)}", status_code=303
    )


def _apply(db: Database, actor: Actor, username: str, what: str, form: dict[str, Any]) -> str:
    if what == "active":
        active = form.get("active") == "1"
        lifecycle.set_active(db, actor, username, active)
        return "activated" if active else "deactivated"
    if what == "role":
        lifecycle.change_role(db, actor, username, str(form.get("role", "")))
        return "role"
    lifecycle.change_password(db, actor, username, str(form.get("password", "")))
    return "password"


def _route(what: str) -> None:
    @router.post(f"/admin/users/{{username}}/{what}", dependencies=[CsrfDep], response_model=None)
    async def change(
        request: Request, username: str, db: DatabaseDep, actor: ActorDep, language: LanguageDep
    ) -> Response:
        return await _change(request, db, actor, language, username, what)


for _what in ("active", "role", "password"):
    _route(_what)
