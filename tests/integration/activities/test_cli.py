"""`itinera activities import|gaps|export|organisations|periods`, as the issue's contract."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.integration.activities.conftest import FIXTURES, ROWCA, UNHCR_3W, UNHCR_ARRIVALS
from typer.testing import CliRunner

from itinera.bootstrap import build_cli

pytestmark = pytest.mark.shared_data
app = build_cli()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ITINERA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    runner = CliRunner(mix_stderr=False)
    assert runner.invoke(app, ["init"]).exit_code == 0
    return runner


def test_import_gaps_export_and_read_back(runner: CliRunner, tmp_path: Path) -> None:
    dry = runner.invoke(app, ["activities", "import", str(ROWCA), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["stored"] is False
    done = runner.invoke(app, ["activities", "import", str(ROWCA), "--format", "hxl"])
    assert done.exit_code == 0, done.output
    assert "244 rows read, 0 refused" in done.stdout
    assert "11 distinct names before resolution, 11 after" in done.stdout
    second = runner.invoke(app, ["activities", "import", str(UNHCR_3W), "--json"])
    report = json.loads(second.stdout)
    assert report["rows_read"] == 2250 and report["rows_rejected"] > 0
    assert report["issues"][0].keys() >= {"row", "column", "tag", "value", "message"}
    movements = runner.invoke(app, ["import", "unhcr-arrivals", str(UNHCR_ARRIVALS)])
    assert movements.exit_code == 0, movements.output

    gaps = runner.invoke(app, ["activities", "gaps", "central-mediterranean", "--year", "2014"])
    assert gaps.exit_code == 0, gaps.output
    italy = next(line for line in gaps.stdout.splitlines() if line.startswith("ITA"))
    assert italy.count("!0/0") == 6 and "170,100" in italy
    matrix = json.loads(
        runner.invoke(
            app, ["activities", "gaps", "central-mediterranean", "--year", "2014", "--json"]
        ).stdout
    )
    assert matrix["route_id"] == "central-mediterranean"
    assert {"country", "role", "pillars", "movement"} <= set(matrix["countries"][0])

    output = tmp_path / "activities.hxl.csv"
    exported = runner.invoke(
        app, ["activities", "export", "--format", "hxl", "--output", str(output)]
    )
    assert exported.exit_code == 0, exported.output
    with output.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert "#org+impl" in rows[1] and len(rows) > 2
    presence = tmp_path / "presence.hxl.csv"
    assert (
        runner.invoke(
            app,
            ["activities", "export", "--output", str(presence), "--level", "presence"],
        ).exit_code
        == 0
    )
    back = runner.invoke(app, ["activities", "import", str(output), "--source", "export"])
    assert back.exit_code == 0 and ", 0 refused" in back.stdout


def test_refused_file_exits_1_and_names_the_rows(runner: CliRunner) -> None:
    refused = runner.invoke(
        app,
        ["activities", "import", str(FIXTURES / "activities-failure-modes.csv"), "--strict"],
    )
    assert refused.exit_code == 1
    assert "row 4" in refused.stdout and "no implementing organisation" in refused.stdout


def test_merge_suggestions_and_periods(runner: CliRunner) -> None:
    runner.invoke(app, ["activities", "import", str(ROWCA)])
    runner.invoke(app, ["activities", "import", str(UNHCR_3W)])
    listed = json.loads(
        runner.invoke(app, ["activities", "organisations", "suggestions", "--json"]).stdout
    )
    unicef = next(
        s
        for s in listed
        if {s["organisation"], s["candidate"]} == {"United Nations Children's Fund", "UNICEF"}
    )
    merged = runner.invoke(app, ["activities", "organisations", "merge", str(unicef["id"])])
    assert merged.exit_code == 0
    assert runner.invoke(app, ["activities", "periods", "open", "2025-01"]).exit_code == 0
    reminders = runner.invoke(app, ["activities", "periods", "reminders", "2025-01"])
    assert reminders.exit_code == 0 and "UNICEF" in reminders.stdout
    due = json.loads(runner.invoke(app, ["activities", "reminders", "--json"]).stdout)
    assert [o["name"] for o in due["2025-01"]] == [
        line.split(maxsplit=1)[1] for line in reminders.stdout.splitlines()[:-1]
    ]
    refused = runner.invoke(app, ["activities", "reminders", "--send"])
    assert refused.exit_code == 2 and "no e-mail address" in refused.stderr
    assert runner.invoke(app, ["activities", "periods", "close", "2025-01"]).exit_code == 0
    assert "2025-01  closed" in runner.invoke(app, ["activities", "periods", "list"]).stdout
    bad = runner.invoke(app, ["activities", "periods", "open", "2025-13"])
    assert bad.exit_code != 0
