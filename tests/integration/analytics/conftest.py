"""One SQLite store with the real Missing Migrants and Frontex exports imported once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.config import Settings
from itinera.domain.access import SYSTEM, Actor, Role
from itinera.importers.registry import load_readers
from itinera.services.movements import import_file
from itinera.storage.database import Database
from itinera.web.app import create_app
from itinera.web.deps import current_actor

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
MMP = DATA / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
FRONTEX = DATA / "frontex-ibc-2025-06" / "frontex_long_iom_gdidata.derived.csv"
ANALYST = Actor("test-analyst", frozenset({Role.ANALYST}))


@pytest.fixture(scope="session")
def movement_db(
    tmp_path_factory: pytest.TempPathFactory, catalogue_db_template: Path
) -> Iterator[Database]:
    if not MMP.exists() or not FRONTEX.exists():
        pytest.skip(f"shared data not found under {DATA}")
    path = tmp_path_factory.mktemp("analytics") / "itinera.db"
    path.write_bytes(catalogue_db_template.read_bytes())
    db = Database(f"sqlite:///{path}")
    load_readers()
    import_file(db, SYSTEM, "missing-migrants", MMP)
    import_file(db, SYSTEM, "frontex", FRONTEX)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def app_for(movement_db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=movement_db.url, environment="test")
    with TestClient(create_app(settings, database=movement_db)) as client:
        yield client


@pytest.fixture
def analyst(app_for: TestClient) -> Iterator[TestClient]:
    app_for.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    yield app_for
    app_for.app.dependency_overrides.pop(current_actor, None)  # type: ignore[attr-defined]
