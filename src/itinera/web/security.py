"""Who is calling (bearer token or session cookie), session cookies, and CSRF protection.

CSRF uses a double-submit token: every browser gets a random ``itinera_csrf`` cookie (set by
:class:`CsrfCookieMiddleware`), and forms carry ``csrf_token``, an HMAC of that cookie under
the secret key; :func:`verify_csrf` compares the two. A cross-site page can neither read the
cookie nor compute the HMAC. Calls with a bearer token are exempt (no ambient credentials).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from http.cookies import SimpleCookie
from typing import Any

from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from itinera.domain.access import ANONYMOUS, Actor, AuthenticationError
from itinera.domain.errors import PermissionDeniedError
from itinera.services.accounts import users as accounts

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "CsrfCookieMiddleware",
    "bearer_token",
    "clear_session_cookie",
    "csrf_token",
    "current_user",
    "resolve_actor",
    "set_session_cookie",
    "sign_seed",
    "verify_csrf",
]

SESSION_COOKIE = "itinera_session"
CSRF_COOKIE = "itinera_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def resolve_actor(request: Request) -> Actor:
    """The actor behind the bearer token, else the session cookie, else anonymous."""
    cached = getattr(request.state, "actor", None)
    if isinstance(cached, Actor):
        return cached
    database = request.app.state.database
    token = bearer_token(request)
    if token is not None:
        found = accounts.actor_for_token(database, token)
        if found is None:
            raise AuthenticationError(
                "the bearer token is invalid, expired or revoked",
                hint="log in again (POST /api/auth/login) or ask for a new API token",
            )
        actor = found
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        actor = (accounts.actor_for_session(database, cookie) if cookie else None) or ANONYMOUS
    request.state.actor = actor
    return actor


def current_user(request: Request) -> Actor | None:
    """For templates: the logged-in actor, or None (never raises)."""
    try:
        actor = resolve_actor(request)
    except AuthenticationError:
        return None
    return None if actor.user_id is None else actor


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.environment == "production"


def set_session_cookie(
    response: Response, request: Request, token: str, expires_at: datetime | None
) -> None:
    max_age = None
    if expires_at is not None:
        max_age = max(0, int((expires_at - datetime.now(expires_at.tzinfo)).total_seconds()))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request)
    )


# --- CSRF ----------------------------------------------------------------------------------


def sign_seed(secret: str, seed: str) -> str:
    """The CSRF token of a seed cookie: what forms and ``X-CSRF-Token`` carry."""
    return _sign(secret, seed)


def _sign(secret: str, seed: str) -> str:
    return hmac.new(
        secret.encode("utf-8"), b"csrf:" + seed.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def _seed(request: Request) -> str | None:
    return request.cookies.get(CSRF_COOKIE) or request.scope.get("state", {}).get("csrf_seed")


def csrf_token(request: Request) -> str:
    """The token a form of this page must send back (a Jinja global too)."""
    seed = _seed(request)
    if seed is None:  # the middleware is not installed: fail loudly rather than silently
        raise RuntimeError("CsrfCookieMiddleware is not installed")
    return _sign(request.app.state.settings.secret_key, seed)


async def verify_csrf(request: Request) -> None:
    """Dependency for form posts from pages: refuse a missing or wrong CSRF token (403)."""
    if bearer_token(request) is not None:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    seed = request.cookies.get(CSRF_COOKIE)
    expected = _sign(request.app.state.settings.secret_key, seed) if seed else None
    if not sent or expected is None or not hmac.compare_digest(sent, expected):
        raise PermissionDeniedError(
            "the form's security token is missing or out of date",
            hint="reload the page and send the form again",
        )


class CsrfCookieMiddleware:
    """Give every browser a random CSRF seed cookie (HttpOnly, SameSite=Lax) with a page.
    JSON answers under ``/api/`` never carry it: only pages' forms and scripts use the token,
    and an anonymous JSON POST (the public intake) should do no cookie work at all."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/") or _has_seed(scope):
            await self.app(scope, receive, send)
            return
        seed = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_seed"] = seed
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        cookie = f"{CSRF_COOKIE}={seed}; Path=/; HttpOnly; SameSite=Lax{secure}"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"set-cookie", cookie.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _has_seed(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            parsed: SimpleCookie = SimpleCookie()
            try:
                parsed.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: treat as no seed
                return False
            if CSRF_COOKIE in parsed:
                return True
    return False
