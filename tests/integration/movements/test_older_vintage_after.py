"""An older vintage imported after a newer one says which stays current and why (issue 11,
item 9), on the real MMP exports of January 2020 and April 2025."""

from __future__ import annotations

from pathlib import Path

import pytest

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.storage.database import Database

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MMP_2025 = SHARED / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
MMP_2020 = SHARED / "mmp-global-2020-01-legacy" / "MissingMigrants-Global-2020-01-08T14-05-32.csv"

pytestmark = pytest.mark.shared_data


def test_an_older_vintage_after_a_newer_one_names_the_current_batch(db: Database) -> None:
    newer = movements.import_file(db, SYSTEM, "missing-migrants", MMP_2025)
    assert newer.current_vintage is None
    older = movements.import_file(db, SYSTEM, "missing-migrants", MMP_2020)
    assert older.status == "imported"
    assert (older.superseded_observations, older.superseded_incidents) == (0, 0)  # none older
    current = older.current_vintage
    assert (current["batch_id"], current["vintage"]) == (newer.batch_id, newer.vintage)
    assert current["incidents"] == older.incidents  # every 2014-2020 record is replaced
    assert current["figures"] > 0
    assert f"older than batch {newer.batch_id} (vintage {newer.vintage})" in current["why"]
    assert "stays current" in current["why"]
