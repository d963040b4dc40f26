"""``itinera backup create`` / ``restore``: a restore into an empty database holds every row of
every table, on SQLite and PostgreSQL; the key stays apart and is checked; refusals are clear."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.config import Settings
from itinera.engines.crypto import generate_key, write_key_file
from itinera.storage.accounts.tables import audit_log

from .conftest import Source, env, every_row

app = build_cli()


def _run(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env(settings))
    return result.exit_code, result.output


def _assert_restored(source: Source, url: str) -> None:
    """Every table row by row as in the source; the audit trail plus the restore's entry."""
    before, after = source.rows, every_row(url)
    assert sum(len(rows) for rows in before.values()) > 600  # catalogue, figures, cases, audit
    assert before["cases"] and before["audit_log"] and before["users"]
    assert before["observations"] and before["import_batches"]
    assert set(after) == set(before)
    for table, rows in before.items():
        if table not in ("audit_log", "audit_chain_head"):
            assert after[table] == rows, table
    audited = len(before["audit_log"])
    assert after["audit_log"][:audited] == before["audit_log"]
    action = audit_log.c.keys().index("action")
    assert [row[action] for row in after["audit_log"][audited:]] == ["backup.restore"]
    assert after["audit_chain_head"][0][1] == audited + 1


def test_restore_into_an_empty_database_holds_every_row_and_force_replaces_a_full_one(
    source: Source, empty_url: str
) -> None:
    target = source.settings_for(empty_url)
    code, output = _run(target, "backup", "restore", str(source.backup))
    assert code == 0, output
    assert "matches the configured key" in output and "audit trail intact" in output
    _assert_restored(source, empty_url)
    restored = every_row(empty_url)

    code, output = _run(target, "backup", "restore", str(source.backup))
    assert code == 1
    assert "the database is not empty" in output and "--force" in output
    assert every_row(empty_url) == restored

    code, output = _run(target, "backup", "restore", str(source.backup), "--force")
    assert code == 0, output
    _assert_restored(source, empty_url)


def test_the_backup_never_holds_the_key_and_says_what_it_holds(source: Source) -> None:
    key_text = source.settings.key_file.read_text("ascii").splitlines()[-1].strip().encode()
    assert key_text not in source.backup.read_bytes()
    with zipfile.ZipFile(source.backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for name in archive.namelist():
            assert key_text not in archive.read(name), name
    tables = {t["name"]: t for t in manifest["tables"]}
    assert set(tables) == set(source.rows)
    for name, rows in source.rows.items():
        assert tables[name]["rows"] == len(rows), name
    assert manifest["revisions"] and len(manifest["checksum"]) == 64 and manifest["created_at"]
    assert manifest["audit_head"]["id"] == len(source.rows["audit_log"])
    assert source.backup.stat().st_mode & 0o077 == 0


def test_restore_refuses_another_key_and_says_so(
    source: Source, empty_url: str, tmp_path: Path
) -> None:
    other_key = tmp_path / "other" / "field.key"
    write_key_file(other_key, [generate_key()])
    target = Settings(database_url=empty_url, environment="test", key_file=other_key)
    code, output = _run(target, "backup", "restore", str(source.backup))
    assert code == 1
    assert "fingerprint" in output and "kept apart" in output
    assert every_row(empty_url) == {}


def test_a_damaged_backup_is_refused_and_nothing_is_written(
    source: Source, empty_url: str, tmp_path: Path
) -> None:
    target, damaged = source.settings_for(empty_url), tmp_path / "damaged.zip"
    with zipfile.ZipFile(source.backup) as original, zipfile.ZipFile(damaged, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "tables/routes.jsonl":
                data = data.replace(b"Mediterranean", b"Mediterranaen", 1)
            copy.writestr(item, data)
    code, output = _run(target, "backup", "restore", str(damaged))
    assert code == 1
    assert "table routes: checksum does not match" in output
    assert all(not rows for rows in every_row(empty_url).values())

    code, output = _run(target, "backup", "restore", str(tmp_path / "missing.zip"))
    assert code == 1 and "no such file" in output
    code, output = _run(target, "backup", "create", str(source.backup))
    assert code == 1 and "the file exists" in output
