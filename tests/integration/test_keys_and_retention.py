"""Key rotation of registered encrypted columns, and the retention machinery (C8)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.engines.crypto import (
    DecryptionError,
    FieldCipher,
    load_cipher,
    read_keys,
    register_encrypted_column,
    unregister_encrypted_column,
)
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.accounts.keys import rotate_keys
from itinera.services.accounts.retention import (
    RetentionContext,
    RetentionItem,
    apply_retention,
    register_retention_policy,
    retention_policies,
    unregister_retention_policy,
)
from itinera.storage.database import Database
from itinera.storage.migrate import upgrade

app = build_cli()


def _context(row: Mapping[str, Any]) -> str:
    return f"probe.secret:{row['id']}"


@pytest.fixture
def probe(database_url: str, tmp_path: Path) -> Iterator[tuple[Database, Settings]]:
    """A migrated database with a table holding one encrypted column and its blind index."""
    settings = Settings(
        database_url=database_url, environment="test", key_file=tmp_path / "keys" / "field.key"
    )
    db = Database(database_url)
    upgrade(db)  # the schema only: these tests need no catalogue
    with db.engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE probe (id INTEGER PRIMARY KEY, secret TEXT, secret_index TEXT)")
        )
    register_encrypted_column(
        "probe", "secret", _context, index_column="secret_index", index_context="probe.secret"
    )
    yield db, settings
    unregister_encrypted_column("probe", "secret")
    unregister_encrypted_column("probe", "broken")
    db.dispose()


def _store(db: Database, cipher: FieldCipher, values: list[str]) -> None:
    with db.engine.begin() as connection:
        for i, value in enumerate(values, 1):
            connection.execute(
                text("INSERT INTO probe (id, secret, secret_index) VALUES (:i, :s, :x)"),
                {
                    "i": i,
                    "s": cipher.encrypt(value, context=f"probe.secret:{i}"),
                    "x": cipher.blind_index(value, context="probe.secret"),
                },
            )


def _rows(db: Database) -> list[tuple[int, str, str]]:
    with db.engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(  # type: ignore[misc]
                text("SELECT id, secret, secret_index FROM probe ORDER BY id")
            )
        ]


def test_rotation_re_encrypts_every_registered_value(probe: tuple[Database, Settings]) -> None:
    db, settings = probe
    old = load_cipher(settings)
    _store(db, old, ["Amina Testperson", "A-123456"])
    report = rotate_keys(db, settings)
    assert report.values["probe.secret"] == 2 and report.retired_key_ids == [old.current_key_id]
    new = load_cipher(settings)
    assert new.key_ids == [report.new_key_id]  # the old key left the file
    for row_id, token, index in _rows(db):
        assert token.startswith(report.new_key_id + ":")
        with pytest.raises(DecryptionError):
            old.decrypt(token, context=f"probe.secret:{row_id}")
        plain = new.decrypt(token, context=f"probe.secret:{row_id}")
        assert index == new.blind_index(plain, context="probe.secret")
    assert new.decrypt(_rows(db)[0][1], context="probe.secret:1") == "Amina Testperson"
    assert audit.list_entries(db, SYSTEM, audit.AuditFilter(action="keys.rotate"))


def test_a_failed_rotation_leaves_everything_readable_and_can_be_rerun(
    probe: tuple[Database, Settings],
) -> None:
    db, settings = probe
    old = load_cipher(settings)
    _store(db, old, ["Amina Testperson"])
    with db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE probe ADD COLUMN broken TEXT"))
        connection.execute(
            text("UPDATE probe SET broken = :t"), {"t": old.encrypt("x", context="elsewhere")}
        )
    register_encrypted_column("probe", "broken", lambda row: f"probe.broken:{row['id']}")
    before = _rows(db)
    with pytest.raises(DecryptionError):
        rotate_keys(db, settings)
    assert _rows(db) == before  # rolled back: nothing half re-encrypted
    ring = load_cipher(settings)
    assert len(read_keys(settings)) == 2  # old key still there during the rotation
    assert ring.decrypt(before[0][1], context="probe.secret:1") == "Amina Testperson"
    unregister_encrypted_column("probe", "broken")
    report = rotate_keys(db, settings)
    assert report.values["probe.secret"] == 1
    assert load_cipher(settings).decrypt(_rows(db)[0][1], context="probe.secret:1") == (
        "Amina Testperson"
    )


def test_rotation_refuses_a_key_from_the_environment(tmp_path: Path, sqlite_db: Database) -> None:
    settings = Settings(database_url=sqlite_db.url, environment="test", field_key="A" * 43 + "=")
    result = CliRunner().invoke(
        app,
        ["keys", "rotate"],
        env={
            "ITINERA_DATABASE_URL": sqlite_db.url,
            "ITINERA_ENVIRONMENT": "test",
            "ITINERA_FIELD_KEY": settings.field_key.get_secret_value(),
        },
    )  # type: ignore[union-attr]
    assert result.exit_code == 1 and "ITINERA_FIELD_KEY" in result.output


def test_retention_runs_every_policy_reports_and_audits(sqlite_db: Database) -> None:
    settings = Settings(database_url=sqlite_db.url, environment="test", retention_days=30)
    seen: list[RetentionContext] = []

    def expired_cases(session: Session, context: RetentionContext) -> list[RetentionItem]:
        seen.append(context)
        return [RetentionItem("case", "17", "erased"), RetentionItem("case", "18", "anonymised")]

    register_retention_policy("test-cases", expired_cases)
    try:
        accounts.create_organisation(sqlite_db, SYSTEM, "CRF")
        password = "granite otter teaspoon 48"
        accounts.create_user(sqlite_db, SYSTEM, "worker", "CRF", "caseworker", password)
        issued = accounts.authenticate(sqlite_db, "worker", password)
        accounts.logout(sqlite_db, issued.token)
        now = datetime.now(UTC) + timedelta(hours=1)

        dry = apply_retention(sqlite_db, SYSTEM, settings, dry_run=True, now=now)
        assert len(dry.items["test-cases"]) + len(dry.items["ended-sessions"]) == 3
        assert seen[-1].dry_run and seen[-1].cutoff == now - timedelta(30)
        assert audit.list_entries(sqlite_db, SYSTEM, audit.AuditFilter(entity="case")) == []
        assert len(accounts.list_tokens(sqlite_db, SYSTEM)) == 1

        done = apply_retention(sqlite_db, SYSTEM, settings, now=now)
        counts = {n: len(i) for n, i in done.items.items()}
        assert counts["ended-sessions"] == 1 and counts["test-cases"] == 2
        assert accounts.list_tokens(sqlite_db, SYSTEM) == []
        erased = audit.list_entries(sqlite_db, SYSTEM, audit.AuditFilter(entity="case"))
        assert sorted((e.entity_id, e.action) for e in erased) == [
            ("17", "retention.erased"),
            ("18", "retention.anonymised"),
        ]
        assert all(e.purpose == "retention" for e in erased)
    finally:
        unregister_retention_policy("test-cases")
    assert "test-cases" not in retention_policies()
