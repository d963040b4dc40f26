from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.postgres_database import throwaway_database

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.services.setup import initialise
from itinera.storage.database import Database
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
    with TestClient(build_app(settings, database=sqlite_db)) as test_client:
        yield test_client


@pytest.fixture
def client(anonymous_client: TestClient) -> TestClient:
    """A client acting as an analyst (allowed to edit routes)."""
    anonymous_client.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    return anonymous_client


# --- accounts (C8): users of any role, and logging them in -----------------------------------


def _make_user(db: Database, role: str, org_name: str = "Test Organisation") -> tuple[str, str]:
    """Create (if needed) the organisation and a new user with ``role``; (username, password)."""
    import secrets as _secrets

    from itinera.domain.access import SYSTEM
    from itinera.services.accounts import users as accounts

    if not any(o.name == org_name for o in accounts.list_organisations(db)):
        accounts.create_organisation(db, SYSTEM, org_name, "ngo")
    username = f"{role.replace('_', '-')}-{_secrets.token_hex(4)}"
    password = _secrets.token_urlsafe(18)
    accounts.create_user(db, SYSTEM, username, org_name, role, password)
    return username, password


def _login(client: TestClient, username: str, password: str) -> dict[str, str]:
    """Log in through the API; the bearer headers (the client also keeps the session cookie)."""
    answer = client.post("/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id still, with test-sized cost: production parameters take ~0.5 s a hash."""
    from argon2 import PasswordHasher

    from itinera.services.accounts import users as accounts

    monkeypatch.setattr(
        accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def make_user() -> Callable[..., tuple[str, str]]:
    """``make_user(db, role, org_name="Test Organisation") -> (username, password)``."""
    return _make_user


@pytest.fixture
def login() -> Callable[[TestClient, str, str], dict[str, str]]:
    """``login(client, username, password) -> {"Authorization": "Bearer …"}``."""
    return _login


# --- the audit trail's append-only guard (issue 10, item 15) --------------------------------


def _drop_append_only_guard(connection: Any) -> None:
    """What an attacker holding the database owner's rights does first: drop the triggers
    that keep ``audit_log`` append-only (tests of tamper detection need it)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")


@pytest.fixture
def drop_append_only_guard() -> Callable[[Any], None]:
    return _drop_append_only_guard


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One initialised database per test module and backend (initialising and hashing
    passwords with Argon2 is slow; tests compare counts before and after instead)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('module') / 'itinera.sqlite3'}"
        initialise(Settings(database_url=url, environment="test"))
        yield url
        return
    server_url: str = request.getfixturevalue("postgres_url")
    with throwaway_database(server_url, "itinera_m") as url:
        initialise(Settings(database_url=url, environment="test"))
        yield url
