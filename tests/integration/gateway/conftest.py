"""Fixtures for gateway tests: one initialised database per module and backend, an app with a
real field key, and the CLI environment that reaches the same database and key."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.engines.crypto import generate_key
from itinera.storage.database import Database


@pytest.fixture(scope="module")
def gateway_database_url(module_database_url: str) -> str:
    return module_database_url


@dataclass
class GatewayWorld:
    client: TestClient
    db: Database
    env: dict[str, str]  # for the CLI: same database, same field key


@pytest.fixture(scope="module")
def world(
    gateway_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GatewayWorld]:
    key = base64.b64encode(generate_key()).decode()
    unused: Path = tmp_path_factory.mktemp("keys") / "unused.key"
    settings = Settings(
        database_url=gateway_database_url, environment="test", field_key=key, key_file=unused
    )
    env = {
        "ITINERA_DATABASE_URL": gateway_database_url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_FIELD_KEY": key,
        "ITINERA_KEY_FILE": str(unused),
    }
    db = Database(gateway_database_url)
    with TestClient(build_app(settings, database=db)) as client:
        yield GatewayWorld(client, db, env)
    db.dispose()
