"""One store per backend (SQLite, PostgreSQL) with the real Missing Migrants and Frontex exports
imported once per test session; the API client and the CLI read it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.postgres_database import throwaway_database

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import SYSTEM, Actor, Role
from itinera.services.movements import import_file
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.web.deps import current_actor

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
MMP = DATA / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
FRONTEX = DATA / "frontex-ibc-2025-06" / "frontex_long_iom_gdidata.derived.csv"
ANALYST = Actor("test-analyst", frozenset({Role.ANALYST}))


@contextmanager
def backend_database(
    backend: str, request: pytest.FixtureRequest, template: Path, folder: Path
) -> Iterator[str]:
    """A catalogue-initialised database on ``backend`` (sqlite or postgresql); its URL."""
    if backend == "sqlite":
        path = folder / "itinera.db"
        path.write_bytes(template.read_bytes())
        yield f"sqlite:///{path}"
        return
    server_url: str = request.getfixturevalue("postgres_url")
    with throwaway_database(server_url, "itinera_an") as url:
        initialise(Settings(database_url=url, environment="test"))
        yield url


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def movement_db(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    catalogue_db_template: Path,
) -> Iterator[Database]:
    if not MMP.exists() or not FRONTEX.exists():
        pytest.skip(f"shared data not found under {DATA}")
    folder = tmp_path_factory.mktemp("analytics")
    with backend_database(request.param, request, catalogue_db_template, folder) as url:
        db = Database(url)
        import_file(db, SYSTEM, "missing-migrants", MMP)
        import_file(db, SYSTEM, "frontex", FRONTEX)
        yield db
        db.dispose()


@pytest.fixture(scope="session")
def app_for(movement_db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=movement_db.url, environment="test")
    with TestClient(build_app(settings, database=movement_db)) as client:
        yield client


@pytest.fixture
def analyst(app_for: TestClient) -> Iterator[TestClient]:
    app_for.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    yield app_for
    app_for.app.dependency_overrides.pop(current_actor, None)  # type: ignore[attr-defined]
