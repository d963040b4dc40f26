"""``itinera doctor``: each check finds what is wrong, says how to fix it, and changes nothing."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.config import Settings
from itinera.engines.crypto import generate_key, write_key_file
from itinera.services.doctor import (
    REQUIRED_ASSETS,
    Status,
    check_assets,
    check_database,
    check_key,
    check_settings,
    examine,
)
from itinera.services.setup import initialise

app = build_cli()
STRONG_SECRET = "kQ3v-Zr8pWn1Xy7Ld2Mf5Tb9Hc4Gs6Ja0Ue_Po"  # random enough for production


def _settings(database_url: str, tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "environment": "test",
        "key_file": tmp_path / "keys" / "field.key",
        **changes,
    }
    return Settings(**values)  # type: ignore[arg-type]


def test_a_database_that_does_not_exist_is_reported_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "itinera.db"
    finding = check_database(_settings(f"sqlite:///{missing}", tmp_path))
    assert finding.status is Status.PROBLEM and "itinera init" in finding.fix
    assert not missing.exists() and not missing.parent.exists()


def test_database_reachable_then_migrated(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path)
    if settings.is_sqlite:
        Path(database_url.removeprefix("sqlite:///")).touch()  # exists, but empty
    before = check_database(settings)
    assert before.status is Status.PROBLEM and "not applied" in before.message
    initialise(settings)
    after = check_database(settings)
    assert after.status is Status.OK, after


def test_unreachable_server_names_the_setting_but_not_the_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://someone:hunter2-secret@127.0.0.1:1/none?connect_timeout=2"
    finding = check_database(_settings(url, tmp_path))
    assert finding.status is Status.PROBLEM and "ITINERA_DATABASE_URL" in finding.fix
    assert "hunter2" not in finding.message + finding.fix


def test_key_missing_open_to_others_invalid_and_private(tmp_path: Path) -> None:
    settings = _settings("sqlite://", tmp_path)
    assert check_key(settings).status is Status.PROBLEM
    write_key_file(settings.key_file, [generate_key()])
    assert check_key(settings).status is Status.OK
    os.chmod(settings.key_file, 0o644)
    loose = check_key(settings)
    assert loose.status is Status.PROBLEM and loose.fix == f"chmod 600 {settings.key_file}"
    os.chmod(settings.key_file, 0o600)
    settings.key_file.write_text("not a key\n")
    assert check_key(settings).status is Status.PROBLEM
    from_env = _settings("sqlite://", tmp_path, field_key=base64.b64encode(generate_key()).decode())
    assert check_key(from_env).status is Status.OK
    never_shown = _settings("sqlite://", tmp_path, field_key="c2hvcnQ=")
    bad = check_key(never_shown)
    assert bad.status is Status.PROBLEM and "c2hvcnQ" not in bad.message + bad.fix


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"environment": "development"}, Status.WARNING),
        ({"environment": "development", "host": "0.0.0.0"}, Status.PROBLEM),
        ({"environment": "production", "secret_key": STRONG_SECRET}, Status.OK),
        (
            {
                "environment": "production",
                "secret_key": STRONG_SECRET,
                "tile_url": "http://tiles.example/{z}/{x}/{y}.png",
            },
            Status.WARNING,
        ),
    ],
)
def test_settings(changes: dict[str, object], expected: Status, tmp_path: Path) -> None:
    key_file = tmp_path / "field.key"
    write_key_file(key_file, [generate_key()])  # production refuses to start without one
    settings = _settings("sqlite://", tmp_path, key_file=key_file, **changes)
    assert check_settings(settings).status is expected


def test_assets_missing_from_a_package_are_named(tmp_path: Path) -> None:
    missing = check_assets(tmp_path)
    assert missing.status is Status.PROBLEM and REQUIRED_ASSETS[0] in missing.message
    for name in REQUIRED_ASSETS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert check_assets(tmp_path).status is Status.OK


def test_report_is_unhealthy_only_for_problems(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'itinera.db'}"
    settings = _settings(url, tmp_path)
    initialise(settings)
    write_key_file(settings.key_file, [generate_key()])
    package = tmp_path / "package"
    for name in REQUIRED_ASSETS:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("x")
    report = examine(settings, package=package)
    statuses = {f.check: f.status for f in report.findings}
    assert statuses["settings"] is Status.WARNING and report.healthy, report
    assert {"database", "key", "settings", "assets", "disk"} == set(statuses)
    os.chmod(settings.key_file, 0o640)
    assert not examine(settings, package=package).healthy


def test_cli_prints_the_fix_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITINERA_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    monkeypatch.setenv("ITINERA_KEY_FILE", str(tmp_path / "field.key"))
    runner = CliRunner(mix_stderr=False)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1, result.output
    assert "PROBLEM database" in result.stdout and "fix: run `itinera init`" in result.stdout
    as_json = runner.invoke(app, ["doctor", "--json"])
    assert as_json.exit_code == 1
    body = json.loads(as_json.stdout)
    assert body["healthy"] is False
    assert {"database", "key"} <= {f["check"] for f in body["findings"] if f["status"] == "problem"}
    assert runner.invoke(app, ["init"]).exit_code == 0
    healed = runner.invoke(app, ["doctor"])
    assert healed.exit_code == 0, healed.stdout  # init made the (test) key and migrated


def test_version_and_completion_options() -> None:
    runner = CliRunner(mix_stderr=False)
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("itinera ")
    assert version.stdout.strip().removeprefix("itinera ")[0].isdigit()
    usage = runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in usage and "--show-completion" in usage
