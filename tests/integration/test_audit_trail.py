"""The hash-chained audit trail, on SQLite and PostgreSQL (C8)."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, text, update
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import SYSTEM, Actor, Role
from itinera.domain.errors import PermissionDeniedError
from itinera.services.accounts import audit
from itinera.storage.accounts.tables import audit_log
from itinera.storage.database import Database
from itinera.storage.migrate import upgrade

app = build_cli()

CASEWORKER = Actor("cw", frozenset({Role.CASEWORKER}), user_id=7, organisation_id=3)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    upgrade(db)  # the schema only: these tests need no catalogue
    yield db
    db.dispose()


def _fill(db: Database, n: int = 5) -> None:
    for i in range(1, n + 1):
        with db.transaction() as session:
            audit.record(
                session,
                CASEWORKER,
                action="case.view",
                entity="case",
                entity_id=str(i),
                purpose="casework",
                origin="web:127.0.0.1",
                detail={"fields": ["given_name", "sex"]},
            )


def _verify_cli(url: str, tmp_path: Path) -> tuple[int, str]:
    env = {
        "ITINERA_DATABASE_URL": url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_KEY_FILE": str(tmp_path / "k"),
    }
    result = CliRunner().invoke(app, ["audit", "verify"], env=env)
    return result.exit_code, result.output


def test_an_intact_chain_verifies(database: Database, tmp_path: Path) -> None:
    _fill(database)
    result = audit.verify(database)
    assert (result.ok, result.checked, result.head_id) == (True, 5, 5)
    code, output = _verify_cli(database.url, tmp_path)
    assert code == 0 and "5 entries" in output


def test_changing_one_entry_breaks_the_chain_at_that_entry(
    database: Database, tmp_path: Path, drop_append_only_guard: Callable[[Any], None]
) -> None:
    _fill(database)
    with database.engine.begin() as connection:
        drop_append_only_guard(connection)
        connection.execute(update(audit_log).where(audit_log.c.id == 3).values(entity_id="99"))
    result = audit.verify(database)
    assert (result.ok, result.first_bad_id, result.checked) == (False, 3, 2)
    assert "changed" in (result.reason or "")
    code, output = _verify_cli(database.url, tmp_path)
    assert code == 1 and "entry 3" in output


def test_removing_an_entry_or_the_tail_is_detected(
    database: Database, drop_append_only_guard: Callable[[Any], None]
) -> None:
    _fill(database)
    with database.engine.begin() as connection:
        drop_append_only_guard(connection)
        connection.execute(delete(audit_log).where(audit_log.c.id == 5))
    result = audit.verify(database)
    assert (result.ok, result.first_bad_id) == (False, 5)
    with database.engine.begin() as connection:
        connection.execute(delete(audit_log).where(audit_log.c.id == 2))
    result = audit.verify(database)
    assert (result.ok, result.first_bad_id) == (False, 2) and "missing" in (result.reason or "")


def test_an_entry_is_written_only_with_the_change_it_describes(database: Database) -> None:
    with pytest.raises(RuntimeError), database.transaction() as session:
        audit.record(session, CASEWORKER, action="case.edit", entity="case", entity_id="1")
        raise RuntimeError("the change failed")
    assert audit.verify(database).checked == 0


def test_concurrent_appends_keep_one_unbroken_chain(database: Database) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            _fill(database, 10)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = audit.verify(database)
    assert (result.ok, result.checked) == (True, 40)


def test_personal_data_cannot_go_into_the_detail(database: Database) -> None:
    with database.transaction() as session:
        with pytest.raises(ValueError, match="scalars"):
            audit.record(
                session,
                SYSTEM,
                action="x",
                entity="case",
                entity_id="1",
                detail={"person": {"name": "Amina"}},
            )
        with pytest.raises(ValueError, match="too long"):
            audit.record(
                session,
                SYSTEM,
                action="x",
                entity="case",
                entity_id="1",
                detail={"note": "a" * 500},
            )


def test_only_administrators_list_and_export(database: Database) -> None:
    _fill(database, 3)
    with pytest.raises(PermissionDeniedError):
        audit.list_entries(database, CASEWORKER)
    with pytest.raises(PermissionDeniedError):
        audit.export_entries(database, CASEWORKER, io.StringIO())
    newest = audit.list_entries(database, SYSTEM, audit.AuditFilter(entity_id="2"))
    assert [e.entity_id for e in newest] == ["2"]
    out = io.StringIO()
    assert audit.export_entries(database, SYSTEM, out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["purpose"] == "casework" and len(rows[0]["entry_hash"]) == 64
    exported = audit.list_entries(database, SYSTEM, audit.AuditFilter(action="audit.export"))
    assert len(exported) == 1 and audit.verify(database).ok


def test_dialect_lock_statement_is_valid(database: Database) -> None:
    with database.transaction() as session:
        audit.record(session, SYSTEM, action="probe", entity="x", entity_id="1")
        count = session.execute(text("SELECT count(*) FROM audit_chain_head")).scalar_one()
    assert count == 1


def test_the_database_itself_refuses_to_change_or_remove_an_entry(database: Database) -> None:
    """Issue 10, item 15: append-only in application code only."""
    _fill(database)
    for statement in (
        update(audit_log).where(audit_log.c.id == 3).values(entity_id="99"),
        delete(audit_log).where(audit_log.c.id == 5),
    ):
        with pytest.raises(Exception, match="append-only"), database.engine.begin() as connection:
            connection.execute(statement)
    if database.dialect == "postgresql":
        with pytest.raises(Exception, match="append-only"), database.engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE audit_log")
    assert audit.verify(database).ok
