"""Bring any database up to date with the Alembic migrations shipped in the package."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from itinera.storage.database import Database, StoreUnreachableError

__all__ = [
    "alembic_config",
    "current_heads",
    "current_heads_on",
    "pending",
    "pending_at",
    "shipped_heads",
    "upgrade",
    "upgrade_on",
]


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("itinera.storage") / "migrations")
    )
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database: Database) -> list[str]:
    """Apply every pending migration (all branches); return the revisions applied."""
    todo = pending(database)
    if todo:
        config = alembic_config(database.url)
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    return todo


def upgrade_on(connection: Connection, url: str) -> None:
    """Apply every migration on ``connection``, inside the caller's transaction (restore)."""
    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


def current_heads(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return current_heads_on(connection)


def current_heads_on(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def shipped_heads(url: str) -> set[str]:
    """The head revisions of the migrations this version of Itinera ships."""
    return set(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def pending(database: Database) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(database.url))
    applied = current_heads(database)
    applied_all: set[str] = set()
    for head in applied:
        applied_all.update(rev.revision for rev in script.iterate_revisions(head, "base"))
    ordered = list(script.walk_revisions("base", "heads"))
    return [rev.revision for rev in reversed(ordered) if rev.revision not in applied_all]


def pending_at(url: str) -> list[str]:
    """The migrations not applied to the database at ``url`` (``itinera doctor``)."""
    database = Database(url)
    try:
        return pending(database)
    except SQLAlchemyError as exc:
        raise StoreUnreachableError(type(exc).__name__) from None
    finally:
        database.dispose()
