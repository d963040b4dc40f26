"""Engine and session handling for the embedded SQLite default and for PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "Database",
    "StoreUnreachableError",
    "UnitOfWork",
    "displayable_url",
    "sqlite_file",
    "store_unavailable",
]

UnitOfWork = Session
"""What ``Database.transaction()`` yields and repositories take: services name it by this
alias, so that no module outside ``storage`` needs SQLAlchemy."""


class Database:
    """One engine and its session factory. ``transaction()`` is the unit of work."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine: Engine = _create_engine(url, echo=echo)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time: write transactions of this process queue here and
        # wake as soon as the previous one commits, instead of polling in SQLite's busy handler
        # (sleeps of up to 100 ms) -- decision 0007, casework benchmark.
        self._write_lock = threading.RLock() if self.dialect == "sqlite" else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any exception.

        ``write=True`` declares a transaction that will write (and may read first): on SQLite
        it waits for this process's write turn, then takes the database write lock at once
        (``BEGIN IMMEDIATE``), so a read-then-write transaction never fails with "database is
        locked" half-way. On PostgreSQL it changes nothing.
        """
        if write and self._write_lock is not None:
            with self._write_lock:
                yield from _run(self._sessions(), immediate=True)
        else:
            yield from _run(self._sessions(), immediate=False)

    def reclaim(self) -> bool:
        """After an erasure: leave no old version of the erased values in the files.

        On SQLite, ``secure_delete`` (set on every connection) zeroes freed space in pages, and
        this checkpoint copies the write-ahead log into the database and truncates it, so old
        page images holding ciphertext are gone from the WAL file. False when a reader kept the
        checkpoint from completing (the next one finishes it). On PostgreSQL old row versions
        stay in the table files until ``VACUUM`` reuses them (autovacuum, or ``VACUUM`` run by
        the operator; docs/security.md): nothing to do here.
        """
        if self.dialect != "sqlite":
            return True
        with self.engine.connect() as connection:
            busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        return not busy

    def dispose(self) -> None:
        self.engine.dispose()


class StoreUnreachableError(Exception):
    """The database cannot be reached; the message names only the driver's error type."""


def store_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot serve at all (gone, unreachable, read-only,
    full, missing its tables) rather than a bug: the web answers 503 and recovers by itself
    once the database is back (the pool re-connects: ``pool_pre_ping``)."""
    if isinstance(exc, DBAPIError):
        return isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated
    # repositories that go straight to the driver (bulk inserts, audit appends) raise its own
    return any(
        kind.__name__ in ("OperationalError", "InterfaceError")
        and kind.__module__.partition(".")[0] in ("sqlite3", "psycopg")
        for kind in type(exc).__mro__
    )


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (resolved), None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve()


def displayable_url(url: str) -> str:
    """``url`` with its password hidden: never print or log a database password."""
    return make_url(url).render_as_string(hide_password=True)


def _run(session: Session, *, immediate: bool) -> Iterator[Session]:
    try:
        if immediate:
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _create_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private_file(Path(parsed.database))
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _create_private_file(path: Path) -> None:
    """The database file readable by its owner only (SQLite gives its -wal and -shm files the
    same mode); an existing file is left as the operator set it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers work during an import.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted or overwritten content is zeroed, not left in free space (erasure, issue 10).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
