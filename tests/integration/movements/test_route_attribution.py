"""Every figure on its route (issue 11): attribution from coordinates and places on the real
files. MMP's 2025 export (incidents without a route name but with coordinates, and the "Sahara
Desert crossing"), the HDX copy of MMP (no route column at all) and UNHCR's arrivals by
country (no route at all): what can be placed on a catalogue route is, the report says by
what means and how much is left on no route, and the Central Mediterranean's mortality rate
is computed from both parts with their sources named."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.analytics.series import route_mortality
from itinera.storage.database import Database
from itinera.web.deps import current_actor

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
MMP = SHARED / "mmp-global-2025-04" / "Missing_Migrants_Global_Figures_allData.derived.csv"
MMP_HDX = SHARED / "mmp-hdx-hxl-2014-2017" / "MissingMigrants.derived.csv"
UNHCR = SHARED / "unhcr-med-arrivals-2014-2019" / "unhcr_arrivals_12_31.csv"
PLACES = SHARED / "unhcr-med-sublocations-2014-2022" / "unhcr_med_sublocations.csv"
SAHARA_ROUTES = {"western-mediterranean", "central-mediterranean", "east-africa"}

pytestmark = pytest.mark.shared_data


def _all(db: Database, **criteria: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    while True:
        only = movements.ObservationFilter(**criteria)
        total, page = movements.query_observations(db, SYSTEM, only, limit=5000, offset=len(found))
        found += page
        if len(found) >= total:
            return found


def _unnamed_with_coordinates() -> tuple[int, int]:
    count = persons = 0
    with MMP.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["Migration Route"].strip() and row["Coordinates"].strip():
                count += 1
                persons += int(row["Total Number of Dead and Missing"] or 0)
    return count, persons


def test_mmp_incidents_without_a_route_name_get_one_from_their_coordinates(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "missing-migrants", MMP)
    assert report.status == "imported"
    incidents = report.attribution["incidents"]
    assert sum(t["incidents"] for t in incidents.values()) == report.incidents
    total_persons = sum(t["dead_and_missing"] for t in incidents.values())
    with MMP.open(encoding="utf-8", newline="") as handle:
        published = sum(
            int(r["Total Number of Dead and Missing"] or 0) for r in csv.DictReader(handle)
        )
    assert total_persons == published  # every person is counted under one means, none lost
    unnamed, unnamed_persons = _unnamed_with_coordinates()
    assert unnamed == 2656 and unnamed_persons == 11222  # the issue's figures, from the file
    by_coordinates = incidents["coordinates"]
    assert by_coordinates["incidents"] >= 600 and by_coordinates["dead_and_missing"] >= 1900
    assert incidents["none"]["incidents"] > 0  # Asia and the Americas: no catalogue route there
    placed = _all(db, route_method="coordinates", indicator="dead_and_missing")
    assert {o["route_id"] for o in placed} >= SAHARA_ROUTES | {"eastern-mediterranean"}
    assert all(0 <= float(str(o["route_distance_km"])) <= 750 for o in placed)
    sahara = [o for o in placed if o["route_name"] == "Sahara Desert crossing"]
    assert sahara and {o["route_id"] for o in sahara} <= SAHARA_ROUTES
    derived_persons = sum(float(str(o["value"])) for o in placed)
    assert derived_persons == by_coordinates["dead_and_missing"]  # minus undated: none here
    nowhere = _all(db, route_method="none", indicator="dead_and_missing")
    assert all(o["route_id"] is None for o in nowhere)
    named = _all(db, route_method="alias", indicator="dead_and_missing")
    assert sum(float(str(o["value"])) for o in nowhere + named + placed) == pytest.approx(
        sum(float(str(o["value"])) for o in _all(db, indicator="dead_and_missing"))
    )


def test_the_hdx_copy_without_a_route_column_is_attributed_by_coordinates(db: Database) -> None:
    report = movements.import_file(db, SYSTEM, "missing-migrants", MMP_HDX)
    assert report.status == "imported"
    incidents = report.attribution["incidents"]
    assert "alias" not in incidents  # the file names no route
    stored = movements.get_batch(db, SYSTEM, report.batch_id or 0)
    assert stored["attribution"] == report.attribution  # the batch's page shows it again
    assert incidents["coordinates"]["incidents"] > 1000
    assert incidents["coordinates"]["dead_and_missing"] > 15000
    routes = Counter(str(o["route_id"]) for o in _all(db, route_method="coordinates"))
    assert routes["central-mediterranean"] > routes["west-africa-atlantic"] > 0


def test_unhcr_arrivals_follow_the_place_rules_and_mortality_is_computed(db: Database) -> None:
    arrivals = movements.import_file(db, SYSTEM, "unhcr-arrivals", UNHCR)
    assert arrivals.status == "imported"
    figures = arrivals.attribution["figures"]
    assert figures["place-rule"]["figures"] > 0 and figures["none"]["figures"] > 0  # Spain
    movements.import_file(db, SYSTEM, "missing-migrants", MMP)
    expected = 0.0
    with UNHCR.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["year"] == "2016":
                expected += sum(float(row[k]) for k in ("italy_all", "malta_all") if row[k] != "NA")
    for year in ("2015", "2016", "2017", "2018"):
        mortality = route_mortality(db, SYSTEM, "central-mediterranean", f"{year}-01", f"{year}-12")
        assert mortality["period"]["rate"] is not None, year
        assert mortality["arrivals_sources"] == ["unhcr-med"]
        assert mortality["dead_and_missing_sources"] == ["iom-mmp"]
        if year == "2016":
            assert mortality["period"]["arrivals"] == expected  # Italy and Malta, from the file


def test_disembarkation_places_in_spain_split_between_two_routes(db: Database) -> None:
    movements.import_file(db, SYSTEM, "unhcr-arrivals", PLACES)
    spain = _all(db, country="ESP", route_method="place-rule")
    routes = {str(o["place"]): o["route_id"] for o in spain}
    assert routes["Canary Islands"] == "west-africa-atlantic"
    assert routes["Ceuta"] == routes["Melilla"] == "western-mediterranean"
    assert {o["route_id"] for o in _all(db, country="GRC")} == {"eastern-mediterranean"}


def test_an_analyst_overrides_a_route_and_keeps_it(db: Database) -> None:
    batch = movements.import_file(db, SYSTEM, "missing-migrants", MMP_HDX).batch_id
    app = build_app(Settings(database_url=db.url, environment="test"), database=db)
    app.dependency_overrides[current_actor] = lambda: SYSTEM
    with TestClient(app) as client:
        page = client.get(f"/imports/{batch}?lang=fr", headers={"Accept": "text/html"})
        assert 'id="route-attribution"' in page.text
        assert "Le tronçon le plus proche des coordonnées" in page.text
        answer = client.get("/api/observations", params={"route_method": "coordinates"})
        assert answer.status_code == 200, answer.text
        first = answer.json()["items"][0]
        assert first["route_method"] == "coordinates" and first["route_distance_km"] is not None
        moved = client.put(
            "/api/observations/route", json={"ids": [first["id"]], "route_id": "east-africa"}
        )
        assert moved.status_code == 200 and moved.json()["changed"] == 1
        bad = client.put("/api/observations/route", json={"ids": [first["id"]], "route_id": "x"})
        assert bad.status_code == 422 and "route_id" in bad.text
        wrong = client.get("/api/observations", params={"route_method": "guess"})
        assert wrong.status_code == 422 and "route_method" in wrong.text
    with db.transaction(write=True) as session:
        movements.reattribute_routes(session)  # an alias change never undoes an analyst
    chosen = _all(db, route_method="analyst")
    assert [(o["id"], o["route_id"]) for o in chosen] == [(first["id"], "east-africa")]
