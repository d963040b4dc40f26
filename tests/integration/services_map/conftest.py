from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.web.deps import current_actor

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
UNHCR_3W = DATA / "hxl-examples-legacy-showcase-2014" / "unhcr-3w.csv"
IFR_POLAND = DATA / "service-points-ifr-poland-2022" / "spots.derived.csv"
COORDINATOR = Actor("test-coordinator", frozenset({Role.COORDINATOR}))


@pytest.fixture
def store(database_url: str) -> Iterator[Database]:
    """A database on SQLite and PostgreSQL, migrated and with the catalogue loaded."""
    initialise(Settings(database_url=database_url, environment="test"))
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def coordinator_client(sqlite_db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=sqlite_db.url, environment="test")
    app = build_app(settings, database=sqlite_db)
    app.dependency_overrides[current_actor] = lambda: COORDINATOR
    with TestClient(app) as client:
        yield client


@pytest.fixture
def coordinator(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> TestClient:
    """A browser-like client logged in (session cookie) as a coordinator (SQLite)."""
    login(anonymous_client, *make_user(sqlite_db, "coordinator"))
    return anonymous_client


@pytest.fixture
def coordinator_any_db(
    store: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> Iterator[TestClient]:
    """The same on SQLite and PostgreSQL."""
    settings = Settings(database_url=store.url, environment="test")
    with TestClient(build_app(settings, database=store)) as client:
        login(client, *make_user(store, "coordinator"))
        yield client
