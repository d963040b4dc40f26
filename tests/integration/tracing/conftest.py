"""Fixtures for tracing tests: one initialised database per module, on SQLite and PostgreSQL,
and users of given roles in given organisations."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.services.setup import initialise
from itinera.storage.database import Database


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def tracing_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('tracing') / 'itinera.sqlite3'}"
        initialise(Settings(database_url=url, environment="test"))
        yield url
        return
    server_url: str = request.getfixturevalue("postgres_url")
    name = f"itinera_tr_{secrets.token_hex(6)}"
    with psycopg.connect(_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        initialise(Settings(database_url=url, environment="test"))
        yield url
    finally:
        with psycopg.connect(_conninfo(server_url), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def new_user(db: Database, role: str, organisation: str) -> tuple[str, str]:
    """A user of ``role`` in ``organisation`` (created when missing): (username, password)."""
    if not any(o.name == organisation for o in accounts.list_organisations(db)):
        accounts.create_organisation(db, SYSTEM, organisation, "ngo")
    username = f"{role.replace('_', '-')}-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    accounts.create_user(db, SYSTEM, username, organisation, role, password)
    return username, password
