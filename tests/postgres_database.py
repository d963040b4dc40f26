"""A throw-away PostgreSQL database for one test, module or session.

Tests open engines (``Database``, servers, jobs) and rarely dispose of them. Their pooled
connections used to outlive the database, which ``DROP DATABASE ... WITH (FORCE)`` ended on the
server side; the garbage collector then finalised them during some later, unrelated test, and
psycopg's "connection deleted while still open" warning failed that test at random. So every
connection any pool opens to the database is closed here before it is dropped.
"""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool


def server_conninfo(sqlalchemy_url: str, database: str | None = None) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://...``) as a libpq URL for psycopg."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    if database is not None:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


@contextmanager
def throwaway_database(server_url: str, prefix: str) -> Iterator[str]:
    """Create an empty database named ``prefix`` + random hex; yield its SQLAlchemy URL; close
    every pooled connection to it; drop it."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = server_conninfo(server_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    opened: weakref.WeakSet[Any] = weakref.WeakSet()

    def remember(dbapi_connection: Any, _record: Any) -> None:
        # SQLite's connections have no ``info``; psycopg's name their database there
        if getattr(getattr(dbapi_connection, "info", None), "dbname", None) == name:
            opened.add(dbapi_connection)

    event.listen(Pool, "connect", remember)
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        event.remove(Pool, "connect", remember)
        for connection in list(opened):
            connection.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
