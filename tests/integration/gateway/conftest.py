"""Fixtures for gateway tests: one initialised database per module and backend, an app with a
real field key, and the CLI environment that reaches the same database and key."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy.engine import make_url

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.engines.crypto import generate_key
from itinera.services.setup import initialise
from itinera.storage.database import Database


def _server_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def gateway_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('gateway') / 'itinera.sqlite3'}"
        initialise(Settings(database_url=url, environment="test"))
        yield url
        return
    server_url: str = request.getfixturevalue("postgres_url")
    name = f"itinera_gw_{secrets.token_hex(6)}"
    with psycopg.connect(_server_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        initialise(Settings(database_url=url, environment="test"))
        yield url
    finally:
        with psycopg.connect(_server_conninfo(server_url), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


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
