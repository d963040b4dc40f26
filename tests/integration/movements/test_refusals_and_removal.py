"""Refusals that tell the truth, dry runs that never write, batches a user can remove
(issue 11, items 7 and 8), on the publishers' real files in ../shared/data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.storage.database import Database
from itinera.storage.movements.tables import (
    import_batches,
    movement_incidents,
    movement_sources,
    observations,
)

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
DTM = SHARED / "dtm-idp-hdx-hxl-fixture" / "global-iom-dtm-from-api-admin-0-to-2.csv"
MMP_XLSX = SHARED / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.xlsx"
MMP_2025 = SHARED / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
MMP_2020 = SHARED / "mmp-global-2020-01-legacy" / "MissingMigrants-Global-2020-01-08T14-05-32.csv"
UNHCR_JSON = SHARED / "unhcr-europe-sea-arrivals-2026-snapshot" / "unhcr-arrivals.json"

pytestmark = pytest.mark.shared_data


def _state(db: Database) -> dict[str, Any]:
    """Everything an import can change, in a comparable form."""
    with db.transaction() as session:
        return {
            "batches": session.execute(select(import_batches.c.id)).all(),
            "sources": session.execute(select(movement_sources.c.key)).all(),
            "observations": sorted(
                session.execute(select(observations.c.id, observations.c.superseded)).all()
            ),
            "incidents": sorted(
                session.execute(
                    select(movement_incidents.c.id, movement_incidents.c.superseded)
                ).all()
            ),
        }


def _files(tmp_path: Path) -> dict[str, tuple[str, Path, str]]:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    header = tmp_path / "header-only.csv"
    header.write_text("".join(DTM.read_text(encoding="utf-8").splitlines(True)[:2]))
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(MMP_XLSX.read_bytes()[:4000])
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    unknown_tags = tmp_path / "unknown-tags.csv"
    unknown_tags.write_text("#foo,#bar\n1,2\n", encoding="utf-8")
    return {
        "empty": ("hxl", empty, "the file is empty"),
        "header only": ("hxl", header, "the file yields no figure"),
        "truncated xlsx": ("missing-migrants", truncated, "not a readable XLSX"),
        "binary": ("hxl", binary, "the file is binary"),
        "unknown tags": ("hxl", unknown_tags, "no column holds a figure"),
        "json": ("hxl", UNHCR_JSON, "JSON is not a format of this reader"),
        "xlsx to hxl": ("hxl", MMP_XLSX, "this reader reads CSV, not xlsx"),
    }


def test_refused_files_leave_nothing_and_say_why(db: Database, tmp_path: Path) -> None:
    before = _state(db)
    for case, (reader, path, reason) in _files(tmp_path).items():
        report = movements.import_file(db, SYSTEM, reader, path)
        assert report.status == "rejected", case
        assert report.message.startswith("file refused: "), (case, report.message)
        assert reason in report.message, (case, report.message)
        assert _state(db) == before, case


def test_the_cli_exits_non_zero_on_a_refused_file(db: Database, tmp_path: Path) -> None:
    cli = build_cli()
    result = CliRunner().invoke(
        cli, ["import", "hxl", str(MMP_XLSX)], env={"ITINERA_DATABASE_URL": db.url}
    )
    assert result.exit_code == 1, result.output
    assert "file refused: this reader reads CSV, not xlsx" in result.output
    assert "missing-migrants" in result.output  # the reader that does read it


def test_a_corrected_file_after_a_refusal_imports(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "dtm.csv"
    path.write_bytes(b"")
    assert movements.import_file(db, SYSTEM, "hxl", path, source="dtm").status == "rejected"
    shutil.copy(DTM, path)
    report = movements.import_file(db, SYSTEM, "hxl", path, source="dtm")
    assert report.status == "imported"
    assert report.observations > 0


def test_a_dry_run_of_an_imported_file_changes_nothing(db: Database) -> None:
    first = movements.import_file(db, SYSTEM, "hxl", DTM, source="dtm")
    before = _state(db)
    again = movements.import_file(db, SYSTEM, "hxl", DTM, source="dtm", dry_run=True)
    assert again.status == "dry-run"
    assert again.batch_id == first.batch_id
    assert "nothing would change" in again.message
    assert _state(db) == before


def test_removing_a_batch_gives_back_the_state_before(db: Database, tmp_path: Path) -> None:
    movements.import_file(db, SYSTEM, "missing-migrants", MMP_2020)
    before = _state(db)
    newer = tmp_path / "MissingMigrants-Global-2025-04-30.csv"  # a vintage in its name
    shutil.copy(MMP_2025, newer)
    report = movements.import_file(db, SYSTEM, "missing-migrants", newer)
    assert report.status == "imported"
    assert report.superseded_incidents > 0  # the older vintage was replaced …
    assert report.batch_id is not None
    movements.remove_batch(db, SYSTEM, report.batch_id)
    assert _state(db) == before  # … and is current again, exactly
