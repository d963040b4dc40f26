"""MMP's negative corrections are kept and marked (issue 11, item 2): on the real April 2025
export, the dead and missing Itinera derives per route and year, corrections included, equal
the publisher's own ``Total Number of Dead and Missing`` summed here with ``csv``."""

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
MMP = SHARED / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"

pytestmark = pytest.mark.shared_data


def _publisher_totals() -> Counter[tuple[str, str]]:
    totals: Counter[tuple[str, str]] = Counter()
    with MMP.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            day = row["Incident Date"]
            if day and day != "0":  # undated rows enter no monthly figure (a warning says so)
                totals[row["Migration Route"], day[:4]] += int(
                    row["Total Number of Dead and Missing"] or 0
                )
    return totals


def test_corrections_are_kept_marked_and_sums_equal_the_publishers(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "missing-migrants", MMP)
    assert report.status == "imported"
    assert any("correction" in i.message for i in report.issues)
    out = io.StringIO()
    only = movements.ObservationFilter(indicator="dead_and_missing")
    export_observations(db, SYSTEM, only, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    ours: Counter[tuple[str, str]] = Counter()
    for row in rows:
        ours[row["route_name"], row["period"][:4]] += int(row["value"])
    assert {k: v for k, v in ours.items() if v} == {
        k: v for k, v in _publisher_totals().items() if v
    }
    assert (
        ours["Eastern Mediterranean", "2015"]
        == _publisher_totals()["Eastern Mediterranean", "2015"]
    )
    out = io.StringIO()
    export_observations(db, SYSTEM, movements.ObservationFilter(indicator="missing"), "csv", out)
    missing = list(csv.DictReader(io.StringIO(out.getvalue())))
    corrections = [int(r["value"]) for r in missing if r["correction"] == "true"]
    assert corrections and min(corrections) < 0  # MMP's -13 missing off Greece, 2015 …
    assert all(int(r["value"]) >= 0 for r in missing if r["correction"] == "false")
