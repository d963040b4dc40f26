"""A partial last month is known and marked, never an alert (issue 11, item 3), on the real
MMP exports: April 2025 ends on the 29th, the 2026 file on 3 May."""

from __future__ import annotations

from pathlib import Path

import pytest

import itinera.services.analytics.alerts as alerts_module
from itinera.domain.access import SYSTEM
from itinera.domain.partial_months import partial_month
from itinera.services import movements
from itinera.services.analytics.alerts import list_alerts
from itinera.services.analytics.series import route_series
from itinera.storage.database import Database

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MMP_2025 = SHARED / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
MMP_2026 = SHARED / "mmp-global-2026-05-partial" / "MissingMigrants-Global-2026-05-06--19_42_11.csv"

pytestmark = pytest.mark.shared_data


def _months_alerted(db: Database) -> set[str]:
    found = list_alerts(db, SYSTEM, months=3)
    return {a["month"] for a in found if a["indicator"] == "dead_and_missing"}


def test_the_partial_month_of_a_file_raises_no_alert(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = movements.import_file(db, SYSTEM, "missing-migrants", MMP_2025)
    assert report.coverage_end == "2025-04-29"
    assert "2025-04" not in _months_alerted(db)
    monkeypatch.setattr(alerts_module, "incomplete_months", lambda _db: set())
    assert "2025-04" in _months_alerted(db)  # what a partial April raised before


def test_the_partial_month_is_marked_on_the_series(db: Database) -> None:
    movements.import_file(db, SYSTEM, "missing-migrants", MMP_2025)
    report = movements.import_file(db, SYSTEM, "missing-migrants", MMP_2026)
    assert report.coverage_end == "2026-05-03"
    series = route_series(
        db, SYSTEM, "central-mediterranean", "dead_and_missing", "2026-01", "2026-05"
    )
    marked = {p["month"]: p["partial"] for p in series["points"]}
    assert marked == {
        "2026-01": False,
        "2026-02": False,
        "2026-03": False,
        "2026-04": False,
        "2026-05": True,
    }


def test_a_month_that_ends_on_its_last_day_is_complete() -> None:
    from datetime import date

    assert partial_month(date(2025, 4, 30)) is None
    assert partial_month(date(2024, 2, 29)) is None
    found = partial_month(date(2026, 5, 3))
    assert found is not None and found.code == "2026-05"
