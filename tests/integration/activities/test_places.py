"""Activities with a place feed the service registry: a point lists what is delivered there, and
two organisations offering the same service at one place are flagged."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.integration.activities.conftest import UNHCR_3W

from itinera.domain.access import SYSTEM
from itinera.services.activities import places, reporting
from itinera.services.activities.importing import import_activities
from itinera.services.services_map.imports import import_services
from itinera.services.services_map.registry import ServiceFilter, list_points
from itinera.storage.database import Database

pytestmark = pytest.mark.shared_data


def test_points_show_activities_and_same_place_overlaps_are_flagged(
    sqlite_db: Database, client: TestClient
) -> None:
    import_activities(sqlite_db, SYSTEM, UNHCR_3W)
    import_services(sqlite_db, SYSTEM, UNHCR_3W)
    point = next(
        item.point
        for item in list_points(
            sqlite_db, SYSTEM, ServiceFilter(country="TCD"), stale_after_days=9999
        )
        if item.point.lat is not None
    )
    found = places.activities_at_point(sqlite_db, SYSTEM, point.id or 0, radius_km=1.0)
    assert found and all(a.country == "TCD" for a in found)
    assert {a.lat for a in found} == {point.lat}
    answer = client.get(f"/api/services/points/{point.id}/activities")
    assert answer.status_code == 200 and len(answer.json()) == len(found)

    flagged = places.overlaps(sqlite_db, SYSTEM, country="TCD")
    assert flagged
    chad = {a.id: a for a in reporting.list_activities(sqlite_db, SYSTEM, countries=["TCD"])}
    for overlap in flagged:
        members = [chad[i] for i in overlap.activity_ids]
        assert len({a.organisation_id for a in members}) == len(overlap.organisation_ids) > 1
        assert all(overlap.service_type in a.service_types for a in members)
        assert {(round(a.lat or 0, 3), round(a.lon or 0, 3)) for a in members} == {
            (overlap.lat, overlap.lon)
        }
    assert client.get("/api/activities/overlaps?country=TCD").json()[0]["service_type"]


def test_the_point_page_flags_a_service_offered_by_two_organisations(
    sqlite_db: Database, client: TestClient
) -> None:
    import_activities(sqlite_db, SYSTEM, UNHCR_3W)
    import_services(sqlite_db, SYSTEM, UNHCR_3W)
    located = [
        item.point
        for item in list_points(
            sqlite_db, SYSTEM, ServiceFilter(country="TCD"), stale_after_days=9999
        )
        if item.point.lat is not None
    ]
    point, here = next(
        (p, found)
        for p in located
        if places.duplicated_at_point(
            found := places.activities_at_point(sqlite_db, SYSTEM, p.id or 0, radius_km=1.0)
        )
    )
    duplicated = places.duplicated_at_point(here)
    page = client.get(f"/services/points/{point.id}?lang=en").text
    assert 'id="activities-here"' in page
    for service_type, organisations in duplicated.items():
        assert f'data-service-type="{service_type}"' in page
        assert len(organisations) > 1
    one = here[0].organisation_id  # one organisation alone is never flagged
    assert places.duplicated_at_point([a for a in here if a.organisation_id == one]) == {}
