"""FastAPI dependencies as ``Annotated`` aliases (after full-stack-fastapi-template)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from itinera.config import Settings
from itinera.domain.access import ANONYMOUS, Actor
from itinera.storage.database import Database
from itinera.web.i18n import choose_language

__all__ = ["ActorDep", "DatabaseDep", "LanguageDep", "SettingsDep", "current_actor"]


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
    """Who is calling. Until accounts exist every caller is anonymous (read-only)."""
    return ANONYMOUS


ActorDep = Annotated[Actor, Depends(current_actor)]
