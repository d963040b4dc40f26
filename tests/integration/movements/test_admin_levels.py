"""Admin levels are never summed (issue 11, item 1), on the real DTM file of HDX
(``dtm-idp-hdx-hxl-fixture``: levels 0, 1 and 2 in one table): each figure is stored once at
its own level with its place, exports carry ``place`` and ``admin_level``, and summing a
country's level-0 figures gives the publisher's country total, recomputed here with ``csv``."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.movements.export import export_observations
from itinera.storage.database import Database

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
DTM = SHARED / "dtm-idp-hdx-hxl-fixture" / "global-iom-dtm-from-api-admin-0-to-2.csv"
MAPPING = """\
version: 1
source: dtm-mapped
publisher: IOM DTM
dataset: DTM IDP figures, admin 0-2 (HDX)
header_row: 1
first_data_row: 3
columns:
  country: admin0Pcode
  admin1: admin1Name
  admin2: admin2Name
  period: reportingDate
  value: numPresentIdpInd
constants:
  indicator: idps
"""

pytestmark = pytest.mark.shared_data


def _publisher_rows() -> list[dict[str, str]]:
    with DTM.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))[1:]  # the HXL row


def _publisher_totals(level: str) -> Counter[tuple[str, str]]:
    totals: Counter[tuple[str, str]] = Counter()
    for row in _publisher_rows():
        if row["adminLevel"] == level and row["numPresentIdpInd"]:
            totals[row["admin0Pcode"], row["reportingDate"][:10]] += int(row["numPresentIdpInd"])
    return totals


def _exported(db: Database, source: str) -> list[dict[str, str]]:
    out = io.StringIO()
    export_observations(db, SYSTEM, movements.ObservationFilter(source=source), "csv", out)
    return [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["indicator"] == "idps"]


def _level_totals(rows: list[dict[str, str]], level: str) -> Counter[tuple[str, str]]:
    totals: Counter[tuple[str, str]] = Counter()
    for row in rows:
        if row["admin_level"] == level and not row["sex"]:
            totals[row["country"], row["period"]] += int(row["value"])
    return totals


def test_hxl_levels_are_stored_once_each_with_place(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "hxl", DTM, source="dtm")
    assert report.status == "imported" and report.rows_rejected == 0
    rows = _exported(db, "dtm")
    assert _level_totals(rows, "0") == _publisher_totals("0")
    assert _level_totals(rows, "0")["AFG", "2017-03-30"] == 246_362  # not 739,086
    by_row = {int(r["source_row"]): r for r in rows if not r["sex"]}
    for number, row in enumerate(_publisher_rows(), start=3):
        stored = by_row[number]
        assert stored["admin_level"] == row["adminLevel"], number
        deepest = row["admin2Name"] or row["admin1Name"] or ""
        assert stored["place"] == deepest, number


def test_mapped_tables_infer_the_level_from_the_admin_columns(db: Database, tmp_path: Path) -> None:
    mapping = tmp_path / "dtm.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    report = movements.import_file(db, SYSTEM, "table", DTM, mapping=mapping)
    assert report.status == "imported", report.issues[:3]
    rows = _exported(db, "dtm-mapped")
    for level in ("0", "1", "2"):
        assert _level_totals(rows, level) == _publisher_totals(level), level


def test_a_total_row_is_the_level_above(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "totals.csv"
    path.write_text(
        "#country+code,#adm1+name,#date,#affected+idps\n"
        "SOM,Total,2024-01,300\nSOM,Bay,2024-01,100\nSOM,Gedo,2024-01,200\n",
        encoding="utf-8",
    )
    movements.import_file(db, SYSTEM, "hxl", path, source="totals")
    rows = _exported(db, "totals")
    assert sorted((r["admin_level"], r["place"], r["value"]) for r in rows) == [
        ("0", "", "300"),
        ("1", "Bay", "100"),
        ("1", "Gedo", "200"),
    ]
