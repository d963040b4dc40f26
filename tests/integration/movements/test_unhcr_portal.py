"""The UNHCR data portal's JSON (issue 11, formats users bring): the 2026 "Europe Sea Arrivals"
snapshot read through the import pipeline, figures checked against the document itself; a
JSON handed to a CSV reader is refused naming this reader; an oversized JSON is refused
before it is parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itinera.domain.access import SYSTEM
from itinera.importers.limits import DEFAULT_LIMITS
from itinera.importers.unhcr_portal import read_unhcr_portal
from itinera.services import movements
from itinera.storage.database import Database

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
SNAPSHOT = SHARED / "unhcr-europe-sea-arrivals-2026-snapshot"


def _figures(db: Database, **criteria: str) -> list[dict[str, object]]:
    only = movements.ObservationFilter(source="unhcr-europe", **criteria)
    return movements.query_observations(db, SYSTEM, only, limit=5000)[1]


@pytest.mark.shared_data
def test_the_portal_snapshot_imports_with_the_publishers_figures(db: Database) -> None:
    regional = json.loads((SNAPSHOT / "unhcr-arrivals.json").read_text("utf-8"))
    countries = json.loads((SNAPSHOT / "country-arrivals.json").read_text("utf-8"))
    for name in ("unhcr-arrivals.json", "country-arrivals.json", "origin-countries.json"):
        report = movements.import_file(db, SYSTEM, "unhcr-portal", SNAPSHOT / name)
        assert report.status == "imported", report.message
        assert report.vintage == "2026-08-22" and report.rows_rejected == 0
    monthly = {
        (o["period"], o["indicator"]): o["value"] for o in _figures(db) if o["country"] is None
    }
    assert monthly["2026-01", "arrivals"] == 5807
    assert monthly["2026-01", "sea_arrivals"] + monthly["2026-01", "land_arrivals"] == 5807
    assert (
        sum(v for (_, i), v in monthly.items() if i == "arrivals")
        == (regional["summary"]["arrivals_ytd"])
    )
    italy = [o for o in _figures(db, country="ITA", indicator="arrivals") if not o["nationality"]]
    expected = next(c for c in countries["countries"] if c["country"] == "Italy")
    assert sum(float(str(o["value"])) for o in italy) == expected["arrivals_ytd"]
    assert {o["route_id"] for o in italy} == {"central-mediterranean"}  # the portal's label
    greece = _figures(db, country="GRC", indicator="arrivals")
    ytd = [o for o in greece if not o["nationality"]]
    assert [(o["period"], o["value"]) for o in ytd] == [("2026-YTD-08", 22141.0)]
    by_origin = _figures(db, country="ITA", indicator="sea_arrivals")
    assert any(o["nationality"] == "BGD" and o["value"] == 4249 for o in by_origin)
    spain = _figures(db, country="ESP")
    assert spain and all(o["route_id"] is None for o in spain)  # two routes in one figure


@pytest.mark.shared_data
def test_json_to_a_csv_reader_is_refused_naming_the_portal_reader(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "unhcr-arrivals", SNAPSHOT / "unhcr-arrivals.json")
    assert report.status == "rejected"
    assert any("unhcr-portal" in (i.suggestion or "") for i in report.issues)


def test_an_oversized_or_foreign_json_is_refused_before_anything_is_stored(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.write(b'{"monthly": [')
        handle.seek(DEFAULT_LIMITS.max_json_bytes + 10)
        handle.write(b"]}")
    result = read_unhcr_portal(big)
    assert [str(i) for i in result.issues] and "larger than" in str(result.issues[0])
    other = tmp_path / "other.json"
    other.write_text('{"services": []}', "utf-8")
    refused = read_unhcr_portal(other)
    assert not list(refused.observations) and "not a UNHCR portal export" in str(refused.issues[0])
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    assert "nested too deeply" in str(read_unhcr_portal(deep).issues[0])
