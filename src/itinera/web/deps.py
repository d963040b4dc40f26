"""FastAPI dependencies as ``Annotated`` aliases (after full-stack-fastapi-template)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from itinera.config import Settings
from itinera.domain.access import Actor
from itinera.services.accounts.keys import field_cipher
from itinera.services.casework.context import Cipher
from itinera.services.store import Database
from itinera.web.i18n import choose_language
from itinera.web.security import resolve_actor, verify_csrf

__all__ = [
    "ActorDep",
    "CipherDep",
    "CsrfDep",
    "DatabaseDep",
    "LanguageDep",
    "SettingsDep",
    "current_actor",
]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def _language(
    request: Request,
    lang: Annotated[
        Literal["en", "fr", "ar"] | None,
        Query(description="language of names and pages (else the cookie, else Accept-Language)"),
    ] = None,
) -> str:
    return choose_language(request, request.app.state.settings.default_language)


SettingsDep = Annotated[Settings, Depends(_settings)]
DatabaseDep = Annotated[Database, Depends(_database)]
LanguageDep = Annotated[str, Depends(_language)]


def current_actor(request: Request) -> Actor:
    """Who is calling: the bearer token's user, else the session cookie's, else anonymous.

    A bearer token that is invalid, expired or revoked answers 401 (web/security.py).
    """
    return resolve_actor(request)


def _cipher(request: Request) -> Cipher:
    cipher = getattr(request.app.state, "cipher", None)
    if cipher is None:
        cipher = request.app.state.cipher = field_cipher(request.app.state.settings)
    return cipher  # type: ignore[no-any-return]


ActorDep = Annotated[Actor, Depends(current_actor)]
CipherDep = Annotated[Cipher, Depends(_cipher)]
"""The field cipher (engines/crypto.py), loaded once per app from the key settings."""
CsrfDep = Depends(verify_csrf)
"""For page form posts: ``@router.post(..., dependencies=[CsrfDep])``."""
