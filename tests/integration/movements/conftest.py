"""Fixtures for movement-data tests: an initialised store with the readers loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from itinera.config import Settings
from itinera.services.setup import initialise
from itinera.storage.database import Database


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated database with the catalogue loaded, on SQLite and on PostgreSQL."""
    database = Database(database_url)
    initialise(Settings(database_url=database_url, environment="test"), database=database)
    yield database
    database.dispose()
