"""Reconciliation that says something (issue 11, item 6), on the real files: MMP's 2020 export
against its 2025 export (what was revised), and UNHCR's arrivals against Frontex detections
on the same route and month (the differences beyond the tolerances of the reference data),
each checked against sums made here with ``csv`` from the publishers' files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from itinera.bootstrap import build_app, build_cli
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.storage.database import Database
from itinera.web.deps import current_actor

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MMP_2020 = SHARED / "mmp-global-2020-01-legacy" / "MissingMigrants-Global-2020-01-08T14-05-32.csv"
MMP_2025 = SHARED / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
UNHCR = SHARED / "unhcr-med-arrivals-2014-2019" / "unhcr_arrivals_12_31.csv"
FRONTEX = SHARED / "frontex-ibc-2025-06" / "frontex_long_iom_gdidata.derived.csv"

pytestmark = pytest.mark.shared_data


def _frontex(route: str, kind: str | None, month: str) -> float:
    with FRONTEX.open(encoding="utf-8", newline="") as handle:
        return sum(
            float(r["n"])
            for r in csv.DictReader(handle)
            if r["route"] == route and r["t"] == month and (kind is None or r["type"] == kind)
        )


def _unhcr(column: str, month: str) -> float:
    year, number = month.split("-")
    with UNHCR.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["year"] == year and int(row["month"]) == int(number):
                return 0.0 if row[column] == "NA" else float(row[column])  # NA: no figure
    raise AssertionError(month)


def test_a_newer_vintage_says_what_it_revised(db: Database) -> None:
    for path in (MMP_2020, MMP_2025):
        assert movements.import_file(db, SYSTEM, "missing-migrants", path).status == "imported"
    pairs = movements.reconciliation(db, SYSTEM, movements.ObservationFilter())["vintages"]
    [pair] = pairs
    assert pair["source"] == "iom-mmp"
    assert (pair["older"]["vintage"], pair["newer"]["vintage"]) == ("2020-01-08", "2025-04-29")
    assert pair["level"] == "route-month"  # the 2020 export names no country code
    assert 0 < pair["figures_revised"] <= pair["figures_compared"]
    assert pair["newer_total"] != pair["older_total"]
    revisions = pair["revisions"]
    changes = [abs(r["change"]) for r in revisions]
    assert changes == sorted(changes, reverse=True) and changes[0] > 0
    assert all(r["change"] == r["newer"] - r["older"] for r in revisions)


def test_related_indicators_of_two_publishers_list_real_differences(db: Database) -> None:
    assert movements.import_file(db, SYSTEM, "unhcr-arrivals", UNHCR).status == "imported"
    assert movements.import_file(db, SYSTEM, "frontex", FRONTEX).status == "imported"
    related = movements.reconciliation(db, SYSTEM, movements.ObservationFilter())["related"]
    by_id = {c["id"]: c for c in related}
    sea = by_id["sea-arrivals-vs-sea-detections"]
    assert sea["left"]["source"] == "unhcr-med" and sea["right"]["source"] == "frontex-ibc"
    assert sea["months_compared"] > 60 and 0 < sea["months_beyond_tolerance"] < 10
    first = sea["differences"][0]
    assert first["route_id"] == "eastern-mediterranean"
    assert first["left"] == _unhcr("greece_sea", first["month"])
    assert first["right"] == _frontex("Eastern Mediterranean Route", "Sea", first["month"])
    assert first["gap_share"] > 0.25
    everything = by_id["arrivals-vs-detections"]
    for d in everything["differences"]:
        if d["route_id"] == "central-mediterranean":
            expected = _unhcr("italy_all", d["month"])
            assert d["left"] == expected + _unhcr("malta_all", d["month"])
            assert d["right"] == _frontex("Central Mediterranean Route", None, d["month"])
    assert by_id["dead-and-missing-mmp-vs-unhcr"]["months_compared"] == 0  # no UNHCR deaths yet
    only_central = movements.reconciliation(
        db, SYSTEM, movements.ObservationFilter(route_id="central-mediterranean")
    )["related"]
    assert all(
        d["route_id"] == "central-mediterranean" for c in only_central for d in c["differences"]
    )


def test_the_api_the_cli_and_the_sources_page_show_them(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    movements.import_file(db, SYSTEM, "unhcr-arrivals", UNHCR)
    movements.import_file(db, SYSTEM, "frontex", FRONTEX)
    app = build_app(Settings(database_url=db.url, environment="test"), database=db)
    app.dependency_overrides[current_actor] = lambda: SYSTEM
    with TestClient(app) as client:
        body = client.get("/api/reconciliation").json()
        assert {c["id"] for c in body["related"]} >= {"sea-arrivals-vs-sea-detections"}
        page = client.get("/sources", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert 'data-comparison="sea-arrivals-vs-sea-detections"' in page.text
    monkeypatch.setenv("ITINERA_DATABASE_URL", db.url)
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    result = CliRunner().invoke(build_cli(), ["sources", "reconcile"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "UNHCR sea arrivals against Frontex detections at sea" in result.output
    assert "eastern-mediterranean" in result.output
