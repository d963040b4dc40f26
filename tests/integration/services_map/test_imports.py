"""Importing the real service lists (../shared/data, else the demo bundle), on SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from itinera.domain.access import SYSTEM
from itinera.domain.issues import Severity
from itinera.services.services_map import exports, registry
from itinera.services.services_map.imports import import_services
from itinera.storage.database import Database
from itinera.storage.services_map.tables import (
    service_import_batches,
    service_offers,
    service_points,
)

from .conftest import IFR_POLAND, UNHCR_3W


def _counts(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(service_points)) or 0,
            session.scalar(select(func.count()).select_from(service_offers)) or 0,
        )


@pytest.mark.shared_data
def test_unhcr_3w_in_pre_1_0_hxl_tags(store: Database) -> None:
    report = import_services(store, SYSTEM, UNHCR_3W)
    assert report.stored and report.rows_read == 2250 and report.rows_rejected == 0
    # coordination, logistics… are reported with their row counts, not silently dropped
    assert report.non_service["Coordination"] == 34 and report.non_service["Logistics"] == 41
    points, offers = _counts(store)
    assert points == report.added > 700
    assert offers > points
    chad = registry.list_points(
        store, SYSTEM, registry.ServiceFilter(country="TCD", text="lwf"), stale_after_days=180
    )
    assert chad and all(p.point.country == "TCD" for p in chad)
    assert "child-protection" in chad[0].point.service_types
    # the same file again changes nothing
    again = import_services(store, SYSTEM, UNHCR_3W)
    assert (again.added, again.updated, again.unchanged) == (0, 0, points)
    assert _counts(store) == (points, offers)
    with store.transaction() as session:
        sources = set(session.scalars(select(service_import_batches.c.source)))
        batch_of_points = set(session.scalars(select(service_points.c.batch_id)))
    assert sources == {"unhcr-3w"} and batch_of_points == {report.batch_id}


@pytest.mark.shared_data
def test_ifr_poland_with_the_saved_mapping(store: Database) -> None:
    report = import_services(store, SYSTEM, IFR_POLAND, format="table", mapping="ifr-poland-2022")
    assert report.rows_read == 66
    # five spots carry the app's (0, 0) "no location" sentinel: named by row and column
    rejected = sorted(i.row for i in report.issues if i.severity is Severity.ERROR)
    assert rejected == [2, 3, 6, 62, 65]
    assert all(i.column == "latitude" for i in report.issues if i.severity is Severity.ERROR)
    no_services = [i for i in report.issues if "no services listed" in i.message]
    assert report.added == 66 - 5 - len(no_services)
    listed = registry.list_points(
        store,
        SYSTEM,
        registry.ServiceFilter(service_type="shelter", country="POL"),
        stale_after_days=180,
    )
    assert len(listed) >= 30


@pytest.mark.shared_data
def test_strict_import_of_a_bad_file_stores_nothing(store: Database, tmp_path: Path) -> None:
    good = import_services(store, SYSTEM, IFR_POLAND, format="table", mapping="ifr-poland-2022")
    before = _counts(store)
    bad = tmp_path / "bad-3w.csv"
    bad.write_text(
        "Org,Sector,Lat,Lon,Place\n#org,#sector,#geo+lat,#geo+lon,#loc+name\n"
        "MSF,Health,13.5,2.1,Niamey\n"
        "MSF,Health,113.5,2.1,Nowhere\n"
        "IRC,Hairdressing,13.5,2.1,Niamey\n",
        "utf-8",
    )
    report = import_services(store, SYSTEM, bad, strict=True)
    assert not report.stored and good.stored
    problems = {(i.source, i.row, i.column) for i in report.issues}
    assert ("bad-3w.csv", 4, "Lat") in problems  # latitude out of range
    assert ("bad-3w.csv", 5, "Sector") in problems  # unknown sector
    assert _counts(store) == before
    loose = import_services(store, SYSTEM, bad)
    assert loose.stored and loose.added == 1 and loose.rows_rejected == 2


@pytest.mark.shared_data
def test_hsds_and_hxl_exports_read_back(store: Database, tmp_path: Path) -> None:
    import_services(store, SYSTEM, IFR_POLAND, format="table", mapping="ifr-poland-2022")
    listings = registry.list_points(store, SYSTEM, registry.ServiceFilter(), stale_after_days=180)
    offers = sum(len(i.point.offers) for i in listings)
    hsds = tmp_path / "directory.json"
    import json

    hsds.write_text(json.dumps(exports.to_hsds(listings)), "utf-8")
    back = import_services(store, SYSTEM, hsds, format="hsds", source="hsds-copy", dry_run=True)
    assert back.issues == [] and back.rows_read == offers
    hxl = tmp_path / "registry.hxl.csv"
    hxl.write_text(exports.to_hxl_csv(listings), "utf-8")
    again = import_services(store, SYSTEM, hxl, source="hxl-copy")
    assert again.added == len(listings) and again.rows_rejected == 0


def test_demo_loader_imports_both_lists_once(store: Database) -> None:
    from itinera.config import Settings
    from itinera.services.services_map.demo import load_services_demo

    # the bundle shipped in the package: no ../shared/data needed
    settings = Settings(database_url=store.url, environment="test")
    first = load_services_demo(store, settings)
    assert len(first) == 2 and all("points added" in line for line in first)
    second = load_services_demo(store, settings)
    assert all(" 0 points added" in line for line in second)


def test_incident_hotspots_enter_through_the_demand_port(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from itinera.config import Settings
    from itinera.services.services_map import analysis, demand

    monkeypatch.setattr(
        demand,
        "incident_adapter",
        lambda: lambda db, route_id, actor, threshold: [(32.9, 12.1, 500.0, "Zuwara coast")],
    )
    result = analysis.route_complementarity(
        store, SYSTEM, "central-mediterranean", Settings(database_url=store.url), ["shelter"]
    )
    [shelter] = result.coverage
    assert "Zuwara coast" in [h.label for h in shelter.uncovered_hotspots]
    assert shelter.demand_total > 500.0
