"""The store as web and CLI see it: the database the settings name, its unit of work, and how
to show its address. Web and CLI import this, never ``storage`` (tests/conventions)."""

from __future__ import annotations

from itinera.config import Settings
from itinera.storage.database import Database, UnitOfWork, displayable_url, store_unavailable

__all__ = ["Database", "UnitOfWork", "displayable_url", "open_database", "store_unavailable"]


def open_database(settings: Settings) -> Database:
    """The engine and sessions of ``settings.database_url`` (the caller disposes of it)."""
    return Database(settings.database_url)
