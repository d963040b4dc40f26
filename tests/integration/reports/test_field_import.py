"""A 4Mi-like survey export through the one import pipeline (C11): good rows stored as one
batch, each bad row named with its row, column and reason; dry run and --strict store nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.storage.database import Database

EXPORT = Path(__file__).resolve().parents[2] / "data" / "monitoring" / "4mi-like-survey-export.csv"


def _run(db: Database, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, dict]:
    monkeypatch.setenv("ITINERA_DATABASE_URL", db.url)
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    result = CliRunner(mix_stderr=False).invoke(
        build_cli(), ["field", "import", str(EXPORT), "--json", *args]
    )
    return result.exit_code, json.loads(result.stdout)


def test_the_survey_export_is_imported_with_its_issues(
    report_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, dry = _run(report_db, monkeypatch, "--dry-run")
    assert code == 0 and dry["status"] == "dry-run" and dry["added"] == 5
    code, strict = _run(report_db, monkeypatch, "--strict")
    assert code == 1 and strict["status"] == "rejected"
    code, report = _run(report_db, monkeypatch)
    assert code == 0, report
    assert report["status"] == "imported" and report["added"] == 5
    assert report["rows_read"] == 9 and report["rows_rejected"] == 4
    by_row = {i["row"]: i for i in report["issues"]}
    assert by_row[7]["column"] == "incident_type" and "kidnapping" in by_row[7]["suggestion"]
    assert by_row[8]["column"] == "route" and by_row[8]["value"] == "no-such-route"
    assert "place, coordinates or a leg" in by_row[9]["message"]
    assert "phone" in by_row[10]["message"] and by_row[10]["column"] == "most_dangerous_location"
    code, again = _run(report_db, monkeypatch)
    assert code == 0 and again["status"] == "unchanged", again
    assert again["batch_id"] == report["batch_id"] and again["added"] == 0
    assert "already imported" in again["message"]
    code, dry_again = _run(report_db, monkeypatch, "--dry-run")
    assert dry_again["status"] == "dry-run" and "nothing would change" in dry_again["message"]
    # the route chosen for rows that name none is part of what was imported
    code, other = _run(report_db, monkeypatch, "--dry-run", "--route", "western-mediterranean")
    assert other["status"] == "dry-run" and other["added"] == 5


def test_the_same_export_as_xlsx_reads_the_same(tmp_path: Path) -> None:
    import csv

    import xlsxwriter

    from itinera.importers.monitoring_table import mapping_4mi, read_observations
    from itinera.reference.monitoring import packaged_vocabularies

    book_path = tmp_path / "4mi-like-survey-export.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    sheet = book.add_worksheet("survey")
    with EXPORT.open(encoding="utf-8") as handle:
        for r, row in enumerate(csv.reader(handle)):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    book.close()
    vocab, mapping = packaged_vocabularies(), mapping_4mi()
    from_csv = read_observations(EXPORT, vocab, mapping)
    from_xlsx = read_observations(book_path, vocab, mapping)
    assert [o for _, o in from_xlsx.records] == [o for _, o in from_csv.records]
    assert len(from_xlsx.records) == 6 and from_xlsx.rows_rejected == 3
    assert [(i.row, i.column) for i in from_xlsx.issues] == [
        (i.row, i.column) for i in from_csv.issues
    ]


def test_the_api_imports_an_upload_with_the_same_report(analyst: TestClient) -> None:
    # one more good row: a file of its own, whether or not the export was imported before
    extra = b"2024-03-20,central-mediterranean,Sabha,27.04,14.43,Robbery,Smugglers,Male,18+,1,SDN"
    extra += b",Yes,900\n"
    answer = analyst.post(
        "/api/field/import",
        files={"file": ("export.csv", EXPORT.read_bytes() + extra, "text/csv")},
        data={"dry_run": "true"},
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["status"] == "dry-run" and report["added"] == 6
    assert report["file_name"] == "export.csv" and report["rows_rejected"] == 4
