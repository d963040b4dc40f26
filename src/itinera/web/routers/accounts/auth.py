"""Login and logout: ``/api/auth/*`` for programs, ``/login`` and ``/logout`` for pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from itinera.domain.access import AuthenticationError
from itinera.schemas.accounts import LoginIn, LoginOut, MeOut, OwnPasswordIn
from itinera.services.accounts import lifecycle
from itinera.services.accounts import users as accounts
from itinera.web.deps import ActorDep, CsrfDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.errors import error_body
from itinera.web.login_limit import TooManyLoginsError, account_limiter_for, limiter_for
from itinera.web.security import (
    SESSION_COOKIE,
    bearer_token,
    clear_session_cookie,
    set_session_cookie,
)
from itinera.web.templating import render

__all__ = ["origin_of", "router"]

router = APIRouter()


def origin_of(request: Request) -> str:
    """Where a request came from, for the audit trail."""
    return f"web:{request.client.host}" if request.client else "web"


def _login(
    request: Request, db: DatabaseDep, settings: SettingsDep, username: str, password: str
) -> accounts.IssuedToken:
    """Authenticate, refusing first an address over its failed-login limits (429)."""
    limiter, per_account = limiter_for(request), account_limiter_for(request)
    address = request.client.host if request.client else "unknown"
    pair = f"{address} {username.strip().casefold()}"
    limiter.check(address)
    per_account.check(pair)
    try:
        return accounts.authenticate(
            db,
            username,
            password,
            origin_of(request),
            policy=accounts.LoginPolicy.from_settings(settings),
        )
    except AuthenticationError:
        limiter.failed(address)
        per_account.failed(pair)
        raise


def _too_many(error: TooManyLoginsError) -> JSONResponse:
    return JSONResponse(
        error_body(error.code, error.message),
        status_code=429,
        headers={"Retry-After": str(error.retry_after)},
    )


@router.post(
    "/api/auth/login",
    tags=["auth"],
    response_model=LoginOut,
    responses={429: {"description": "too many failed logins from this address"}},
)
def api_login(
    body: LoginIn, request: Request, response: Response, db: DatabaseDep, settings: SettingsDep
) -> LoginOut | JSONResponse:
    """Answer a bearer token and set the session cookie (for pages). 401 on any failure;
    429 with Retry-After once the client address has too many recent failures."""
    try:
        issued = _login(request, db, settings, body.username, body.password)
    except TooManyLoginsError as error:
        return _too_many(error)
    set_session_cookie(response, request, issued.token, issued.expires_at)
    role = next(iter(issued.actor.roles)).value
    return LoginOut(
        token=issued.token,
        expires_at=issued.expires_at,
        username=issued.actor.username,
        role=role,
        organisation_id=issued.actor.organisation_id,
    )


@router.post("/api/auth/logout", tags=["auth"])
def api_logout(request: Request, response: Response, db: DatabaseDep) -> dict[str, bool]:
    """End the session or token presented (bearer header, else cookie)."""
    token = bearer_token(request) or request.cookies.get(SESSION_COOKIE)
    closed = accounts.logout(db, token) if token else False
    clear_session_cookie(response, request)
    return {"logged_out": closed}


@router.post("/api/auth/password", tags=["auth"], status_code=204)
def api_change_password(
    body: OwnPasswordIn, request: Request, db: DatabaseDep, actor: ActorDep
) -> Response:
    """Change one's own password; every session and token, this one included, is revoked."""
    lifecycle.change_own_password(db, actor, body.current_password, body.password)
    answer = Response(status_code=204)
    clear_session_cookie(answer, request)
    return answer


@router.get("/api/auth/me", tags=["auth"], response_model=MeOut)
def api_me(actor: ActorDep) -> MeOut:
    return MeOut.of(actor)


# --- pages ---------------------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, language: LanguageDep, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", language, next=_safe_next(next), error=None)


@router.post("/login", include_in_schema=False, dependencies=[CsrfDep], response_model=None)
def login_form(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    language: LanguageDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    try:
        issued = _login(request, db, settings, username, password)
    except TooManyLoginsError as error:
        page = render(
            request,
            "login.html",
            language,
            status_code=429,
            next=_safe_next(next),
            error="too_many",
        )
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    except AuthenticationError:
        return render(
            request,
            "login.html",
            language,
            status_code=401,
            next=_safe_next(next),
            error=accounts.LOGIN_FAILED,
        )
    # without a page asked for, each person lands on the home of their role
    target = _safe_next(next)
    response = RedirectResponse("/home" if target == "/" else target, status_code=303)
    set_session_cookie(response, request, issued.token, issued.expires_at)
    return response


@router.post("/logout", include_in_schema=False, dependencies=[CsrfDep])
def logout_form(request: Request, db: DatabaseDep) -> RedirectResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.logout(db, token)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, request)
    return response
