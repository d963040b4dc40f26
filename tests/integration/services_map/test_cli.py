"""`itinera services import|list|gaps|site` as the issue states the contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itinera.bootstrap import build_cli

from .conftest import IFR_POLAND, UNHCR_3W

app = build_cli()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ITINERA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    runner = CliRunner(mix_stderr=False)
    assert runner.invoke(app, ["init"]).exit_code == 0
    return runner


def test_import_list_gaps_site(runner: CliRunner, tmp_path: Path) -> None:
    dry = runner.invoke(app, ["services", "import", str(UNHCR_3W), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["stored"] is False
    done = runner.invoke(app, ["services", "import", str(UNHCR_3W)])
    assert done.exit_code == 0 and "not a service sector: 'Coordination' (34 rows)" in done.stdout
    table = runner.invoke(
        app,
        [
            "services",
            "import",
            str(IFR_POLAND),
            "--format",
            "table",
            "--mapping",
            "ifr-poland-2022",
        ],
    )
    assert table.exit_code == 0 and "row 62, column 'latitude'" in table.stdout

    listed = json.loads(
        runner.invoke(
            app,
            ["services", "list", "--route", "central-mediterranean", "--type", "shelter", "--json"],
        ).stdout
    )
    assert listed and all("shelter" in {o["service_type"] for o in p["offers"]} for p in listed)

    gaps = json.loads(
        runner.invoke(app, ["services", "gaps", "central-mediterranean", "--json"]).stdout
    )
    assert {c["service_type"] for c in gaps["coverage"]} >= {"shelter", "legal-aid", "gbv-response"}
    assert all(0 <= c["share_length"] <= 1 for c in gaps["coverage"])

    site = runner.invoke(
        app,
        [
            "services",
            "site",
            "central-mediterranean",
            "--k",
            "3",
            "--service-types",
            "shelter,legal-aid",
            "--json",
        ],
    )
    assert site.exit_code == 0, site.output
    out = json.loads(site.stdout)
    assert len(out["sites"]) == 3 and out["gap"] <= 0.01
    assert {"covered", "sites"} <= set(out["greedy"])
    assert all(isinstance(s["lat"], float) and s["added_demand"] > 0 for s in out["sites"])


def test_strict_import_with_errors_exits_1_and_stores_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("#org,#sector,#geo+lat,#geo+lon\nMSF,Health,abc,2\nMSF,Health,13,2\n", "utf-8")
    result = runner.invoke(app, ["services", "import", str(bad), "--strict"])
    assert result.exit_code == 1
    assert "bad.csv, row 2" in result.stdout and "nothing stored" in result.stdout
    listed = runner.invoke(app, ["services", "list", "--json"])
    assert json.loads(listed.stdout) == []
