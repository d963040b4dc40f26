from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.web.app import create_app
from itinera.web.deps import current_actor


@pytest.fixture(scope="session")
def catalogue_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file initialised once; tests copy it instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "itinera.db"
    initialise(Settings(database_url=f"sqlite:///{path}", environment="test"))
    return path


@pytest.fixture
def sqlite_db(tmp_path: Path, catalogue_db_template: Path) -> Iterator[Database]:
    path = tmp_path / "itinera.db"
    path.write_bytes(catalogue_db_template.read_bytes())
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


ANALYST = Actor("test-analyst", frozenset({Role.ANALYST}))


@pytest.fixture
def anonymous_client(sqlite_db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=sqlite_db.url, environment="test")
    with TestClient(create_app(settings, database=sqlite_db)) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous_client: TestClient) -> TestClient:
    """A client acting as an analyst (allowed to edit routes)."""
    anonymous_client.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    return anonymous_client
