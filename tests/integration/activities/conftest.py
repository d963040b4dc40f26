from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from itinera.config import Settings
from itinera.services.setup import initialise
from itinera.storage.database import Database

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
LEGACY = SHARED / "hxl-examples-legacy-showcase-2014"
ROWCA = LEGACY / "rowca-3w-hxl.csv"
UNHCR_3W = LEGACY / "unhcr-3w.csv"
UNHCR_ARRIVALS = SHARED / "unhcr-med-arrivals-2014-2019" / "unhcr_arrivals_12_31.csv"
FIXTURES = Path(__file__).resolve().parents[2] / "data" / "activities"


@pytest.fixture
def store(database_url: str) -> Iterator[Database]:
    """A database on SQLite and PostgreSQL, migrated and with the catalogue loaded."""
    initialise(Settings(database_url=database_url, environment="test"))
    db = Database(database_url)
    yield db
    db.dispose()
