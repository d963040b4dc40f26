"""``Database.transaction(write=True)``: read-then-write transactions neither fail with
"database is locked" nor lose updates under concurrency; a failure rolls back (SQLite and
PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from itinera.storage.database import Database

THREADS, INCREMENTS = 8, 15


@pytest.fixture
def counter(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    with db.transaction() as session:
        session.execute(text("DROP TABLE IF EXISTS write_probe"))
        session.execute(text("CREATE TABLE write_probe (id INTEGER PRIMARY KEY, n INTEGER)"))
        session.execute(text("INSERT INTO write_probe VALUES (1, 0)"))
    yield db
    with db.transaction() as session:
        session.execute(text("DROP TABLE write_probe"))
    db.dispose()


def _increment(db: Database, errors: list[BaseException]) -> None:
    try:
        for _ in range(INCREMENTS):
            with db.transaction(write=True) as session:
                n = session.execute(text("SELECT n FROM write_probe WHERE id = 1")).scalar_one()
                if make_url(db.url).get_backend_name() != "sqlite":  # PostgreSQL: lock the row
                    n = session.execute(
                        text("SELECT n FROM write_probe WHERE id = 1 FOR UPDATE")
                    ).scalar_one()
                session.execute(text("UPDATE write_probe SET n = :n WHERE id = 1"), {"n": n + 1})
    except BaseException as exc:  # collected: the assertion below names it
        errors.append(exc)


def test_concurrent_read_then_write_transactions_lose_nothing(counter: Database) -> None:
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_increment, args=(counter, errors)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with counter.transaction() as session:
        total = session.execute(text("SELECT n FROM write_probe WHERE id = 1")).scalar_one()
    assert total == THREADS * INCREMENTS


def test_a_failed_write_transaction_rolls_back_and_frees_the_queue(counter: Database) -> None:
    with pytest.raises(RuntimeError), counter.transaction(write=True) as session:
        session.execute(text("UPDATE write_probe SET n = 99 WHERE id = 1"))
        raise RuntimeError("boom")
    with counter.transaction(write=True) as session:  # would hang if the queue stayed held
        assert session.execute(text("SELECT n FROM write_probe")).scalar_one() == 0
