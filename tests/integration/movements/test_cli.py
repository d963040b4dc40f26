"""``itinera import``, ``itinera sources``, ``itinera export`` end to end on SQLite: the real 2026
Missing Migrants file (figures recomputed with csv), exit codes, dry run, exports and filters."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from itinera.bootstrap import build_cli

app = build_cli()

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MMP_2026 = SHARED / "mmp-global-2026-05-partial" / "MissingMigrants-Global-2026-05-06--19_42_11.csv"
PLAIN_COLUMNS = [
    "indicator",
    "value",
    "unit",
    "period",
    "route_id",
    "country",
    "nationality",
    "sex",
    "age_group",
    "source",
    "vintage",
    "batch_id",
]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ITINERA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    runner = CliRunner(mix_stderr=False)
    assert runner.invoke(app, ["init"]).exit_code == 0
    return runner


def itinera(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def dead_and_missing_by_month(route: str) -> dict[str, float]:
    """Recomputed from the raw file: negative counts are corrections, left out."""
    totals: dict[str, float] = defaultdict(float)
    with MMP_2026.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Migration route"] != route:
                continue
            day = datetime.strptime(row["Incident Date"][5:15], "%m/%d/%Y")
            for column in ("Number Dead", "Minimum Estimated Number of Missing"):
                value = float(row[column] or 0)
                totals[f"{day:%Y-%m}"] += max(value, 0)
    return dict(totals)


@pytest.mark.shared_data
def test_import_the_real_2026_file_as_json_then_list_show_and_export(
    run: CliRunner, tmp_path: Path
) -> None:
    dry = itinera(run, "import", "missing-migrants", MMP_2026, "--dry-run", "--json")
    assert dry.exit_code == 0 and json.loads(dry.stdout)["status"] == "dry-run"
    assert json.loads(itinera(run, "sources", "list", "--json").stdout) == []  # nothing stored
    done = itinera(run, "import", "missing-migrants", MMP_2026, "--json")
    assert done.exit_code == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["status"], report["rows_read"], report["incidents"]) == ("imported", 238, 238)
    assert report["rows_rejected"] == 0 and report["vintage"] == "2026-05-06"
    assert [(i["row"], i["column"], i["value"]) for i in report["issues"]] == [
        (162, "Number of Survivors", "-1"),
        (197, "Minimum Estimated Number of Missing", "-5"),
    ]
    assert report["unmapped_routes"]["Mainland Europe to the UK"] == 6

    [source] = json.loads(itinera(run, "sources", "list", "--json").stdout)
    assert (source["key"], source["batches"][0]["rows_read"]) == ("iom-mmp", 238)
    shown = itinera(run, "sources", "show", "iom-mmp")
    assert shown.exit_code == 0 and "238 rows, 0 rejected, 2 issues" in shown.stdout
    assert itinera(run, "sources", "show", "nowhere").exit_code == 1

    plain = itinera(
        run,
        "export",
        "observations",
        "--format",
        "csv",
        "--route",
        "central-mediterranean",
        "--indicator",
        "dead_and_missing",
    )
    rows = list(csv.DictReader(io.StringIO(plain.stdout)))
    assert list(rows[0])[: len(PLAIN_COLUMNS)] == PLAIN_COLUMNS
    assert {r["period"]: float(r["value"]) for r in rows} == dead_and_missing_by_month(
        "Central Mediterranean"
    )
    assert all(r["derived"] == "true" and r["source"] == "iom-mmp" for r in rows)

    spring = itinera(
        run,
        "export",
        "observations",
        "--format",
        "csv",
        "--from",
        "2026-03",
        "--to",
        "2026-04",
        "--source",
        "iom-mmp",
    )
    periods = {r["period"] for r in csv.DictReader(io.StringIO(spring.stdout))}
    assert periods == {"2026-03", "2026-04"}

    parquet = tmp_path / "figures.parquet"
    written = itinera(
        run,
        "export",
        "observations",
        "--format",
        "parquet",
        "--indicator",
        "incidents",
        "--output",
        parquet,
    )
    table = pq.read_table(parquet)
    assert written.exit_code == 0 and f"{table.num_rows:,} observations written" in written.stdout
    assert set(table.column("indicator").to_pylist()) == {"incidents"}
    hxl = itinera(run, "export", "observations", "--format", "hxl", "--indicator", "dead")
    assert hxl.stdout.splitlines()[1].startswith("#indicator+code,#indicator+value+num")


def test_exit_codes_rejected_rows_usage_and_mapping(run: CliRunner, tmp_path: Path) -> None:
    rejected = itinera(run, "import", "hxl", DATA / "hxl-negative-count.csv", "--source", "x")
    assert rejected.exit_code == 1 and "1 rows rejected" in rejected.stdout
    assert "row 5, column 'dead'" in rejected.stderr
    strict = itinera(run, "import", "hxl", DATA / "hxl-bad-date.csv", "--strict", "--json")
    assert strict.exit_code == 1 and json.loads(strict.stdout)["status"] == "rejected"
    assert itinera(run, "import", "hxl").exit_code == 2  # no file
    assert itinera(run, "import", "hxl", DATA / "absent.csv").exit_code == 2
    assert itinera(run, "export", "observations", "--colour", "red").exit_code == 2
    table = itinera(
        run,
        "import",
        "table",
        DATA / "table-wide-months-crlf.csv",
        "--mapping",
        DATA / "table-wide-months.yaml",
    )
    assert table.exit_code == 0 and "4 observations" in table.stdout
    unmapped = itinera(run, "import", "table", DATA / "table-long-codes.csv")
    assert unmapped.exit_code == 1 and "--mapping" in unmapped.stderr
    other = tmp_path / "other.yaml"  # the same file through another mapping is a new import
    other.write_text((DATA / "table-wide-months.yaml").read_text().replace("sea_", "land_"))
    again = itinera(run, "import", "table", DATA / "table-wide-months-crlf.csv", "--mapping", other)
    assert again.exit_code == 0 and again.stdout.startswith("imported: ")
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nsource: s\npublisher: p\ndataset: d\ncolumns: {value: 3}\n")
    bad = itinera(run, "import", "table", DATA / "table-long-codes.csv", "--mapping", broken)
    assert bad.exit_code == 1
    assert bad.stderr.startswith(
        "ValidationError: mapping: broken.yaml: entry 'columns', field 'value'"
    )
