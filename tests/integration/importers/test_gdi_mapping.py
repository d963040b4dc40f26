"""The shipped mapping for IOM GDI's copy of Missing Migrants (issue 11, formats users bring):
route families through the catalogue's aliases, and nationality cells holding several codes
("ERI,ETH,SOM") split by the mapping's ``split`` option. Sums are checked against ``csv``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from itinera.importers.table import read_table

ROOT = Path(__file__).resolve().parents[3]
GDI = ROOT.parent / "shared" / "data" / "mmp-iom-gdidata-2025-04" / "iom_mmp.derived.csv"
MAPPING = ROOT / "docs" / "examples" / "mappings" / "mmp-iom-gdidata.yaml"

pytestmark = pytest.mark.shared_data


def test_the_gdi_copy_reads_with_its_shipped_mapping_and_lists_are_split() -> None:
    result = read_table(GDI, mapping=MAPPING)
    figures = [o for o in result.observations if o.indicator == "dead_and_missing"]
    rejected = {i.row for i in result.issues if i.severity.value == "error"}
    with GDI.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # The rows refused are MMP's negative corrections of survivors (a table mapping refuses a
    # negative figure; the MMP reader keeps them as corrections), each named with its row.
    assert all(int(rows[r - 2]["surv"]) < 0 for r in rejected if r)
    kept = [row for n, row in enumerate(rows, start=2) if n not in rejected]
    assert sum(o.value for o in figures) == sum(float(r["dead"] or 0) for r in kept)
    several = [r for r in kept if len([c for c in r["nat"].split(",") if c != "UNK"]) > 1]
    assert len(several) > 300  # "ERI,ETH,SOM" … (478 cells hold a list; some with UNK)
    by_row = {o.source_row: o for o in figures}
    for number, row in enumerate(rows, start=2):
        if number in by_row and "," not in row["nat"] and row["nat"] not in ("UNK", ""):
            assert by_row[number].nationality == row["nat"]
    listed = {n for n, r in enumerate(rows, start=2) if any(r is s for s in several)}
    assert all(by_row[n].nationality is None for n in listed if n in by_row)
    assert any("several values of nationality" in i.message for i in result.issues)
    assert {o.route_name for o in figures} >= {"Central Mediterranean Route", "EHOA Eastern Route"}
