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
    assert rejected == set()  # negative survivors are corrections, not errors (test below)
    several = [r for r in rows if len([c for c in r["nat"].split(",") if c != "UNK"]) > 1]
    assert len(several) > 300  # "ERI,ETH,SOM" … (478 cells hold a list; some with UNK)
    by_row = {o.source_row: o for o in figures}
    for number, row in enumerate(rows, start=2):
        if number in by_row and "," not in row["nat"] and row["nat"] not in ("UNK", ""):
            assert by_row[number].nationality == row["nat"]
    listed = {n for n, r in enumerate(rows, start=2) if any(r is s for s in several)}
    assert all(by_row[n].nationality is None for n in listed if n in by_row)
    assert any("several values of nationality" in i.message for i in result.issues)
    assert {o.route_name for o in figures} >= {"Central Mediterranean Route", "EHOA Eastern Route"}


def test_negative_survivors_are_kept_as_corrections_and_totals_equal_the_publishers() -> None:
    """IOM's negative survivors (people an earlier record counted as survivors, who then died)
    are corrections as in MMP's own file: kept as published and marked, so that the sums of
    dead and missing and of survivors equal the publisher's, the corrections' rows included."""
    result = read_table(GDI, mapping=MAPPING)
    with GDI.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    negative = {n for n, r in enumerate(rows, start=2) if r["surv"].startswith("-")}
    assert len(negative) == 5
    observations = list(result.observations)
    for indicator, column in (("dead_and_missing", "dead"), ("survivors", "surv")):
        stored = sum(o.value for o in observations if o.indicator == indicator)
        assert stored == sum(float(r[column] or 0) for r in rows), indicator
    marked = {o.source_row for o in observations if o.correction}
    assert marked == negative
    in_corrections = [o for o in observations if o.correction and o.indicator == "dead_and_missing"]
    assert sum(o.value for o in in_corrections) == 62  # the persons once missing from the total
