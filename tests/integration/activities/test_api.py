"""`GET /api/routes/{id}/gap-matrix` and the activity API: shapes, access, own organisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests.integration.activities.conftest import ROWCA, UNHCR_ARRIVALS

from itinera.domain.access import SYSTEM
from itinera.services.activities.importing import import_activities
from itinera.services.movements.importing import import_file
from itinera.storage.database import Database

pytestmark = pytest.mark.shared_data


def test_gap_matrix_contract(anonymous_client: TestClient, sqlite_db: Database) -> None:
    import_file(sqlite_db, SYSTEM, "unhcr-arrivals", UNHCR_ARRIVALS)
    import_activities(sqlite_db, SYSTEM, ROWCA)
    answer = anonymous_client.get("/api/routes/central-mediterranean/gap-matrix?year=2014")
    assert answer.status_code == 200
    body = answer.json()
    assert body["route_id"] == "central-mediterranean"
    for row in body["countries"]:
        assert {"country", "role", "pillars", "movement"} <= set(row)
        assert sorted(row["pillars"]) == ["1", "2", "3", "4", "5", "6"]
        for cell in row["pillars"].values():
            assert {
                "organisations",
                "activities",
                "reached",
                "targeted",
                "in_need",
                "actors_per_1000",
                "coverage",
                "gap",
            } <= set(cell)
    csv_answer = anonymous_client.get("/api/routes/central-mediterranean/gap-matrix.csv?year=2014")
    assert csv_answer.status_code == 200 and csv_answer.text.startswith("route_id,year,country")
    assert anonymous_client.get("/api/routes/nowhere/gap-matrix?year=2014").status_code == 404
    assert anonymous_client.get("/api/routes/central-mediterranean/gap-matrix").status_code == 422


def test_activity_api_scopes_edits_to_the_callers_organisation(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    assert anonymous_client.get("/api/activities").status_code == 401
    alpha = login(anonymous_client, *make_user(sqlite_db, "service_provider", "Alpha Aid"))
    anonymous_client.cookies.clear()
    beta = login(anonymous_client, *make_user(sqlite_db, "coordinator", "Beta Relief"))
    anonymous_client.cookies.clear()
    body = {"sector": "Health", "pillar": 3, "country": "LBY", "title": "Clinic", "budget": 900}
    created = anonymous_client.post("/api/activities", json=body, headers=alpha)
    assert created.status_code == 201, created.text
    activity_id = created.json()["id"]
    seen_by_beta = anonymous_client.get(f"/api/activities/{activity_id}", headers=beta).json()
    assert seen_by_beta["budget"] == 900  # coordinators see budgets
    changed = {**body, "title": "Clinic, two teams"}
    refused = anonymous_client.put(f"/api/activities/{activity_id}", json=changed, headers=beta)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    ok = anonymous_client.put(f"/api/activities/{activity_id}", json=changed, headers=alpha)
    assert ok.status_code == 200 and ok.json()["title"] == "Clinic, two teams"
    period = anonymous_client.put("/api/activities/periods/2025-02?state=open", headers=alpha)
    assert period.status_code == 403
    assert (
        anonymous_client.put("/api/activities/periods/2025-02?state=open", headers=beta).status_code
        == 204
    )
    figure = {"period": "2025-02", "targeted": 100, "reached": 30}
    put = anonymous_client.put(f"/api/activities/{activity_id}/figures", json=figure, headers=alpha)
    assert put.status_code == 204
    assert (
        anonymous_client.post(
            f"/api/activities/{activity_id}/reports/2025-02/submit", headers=alpha
        ).status_code
        == 204
    )
    assert (
        anonymous_client.post(
            f"/api/activities/{activity_id}/reports/2025-02/review?decision=approve", headers=beta
        ).status_code
        == 204
    )
    export = anonymous_client.get("/api/activities/export?level=activity", headers=alpha)
    assert export.status_code == 200 and "Clinic, two teams" in export.text
    assert "#value+budget" not in export.text  # partners do not export budgets


def test_upload_goes_through_the_pipeline(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    partner = login(anonymous_client, *make_user(sqlite_db, "service_provider", "Alpha Aid"))
    anonymous_client.cookies.clear()
    with ROWCA.open("rb") as handle:
        refused = anonymous_client.post(
            "/api/activities/import", files={"file": ("rowca.csv", handle)}, headers=partner
        )
    assert refused.status_code == 403
    coordinator = login(anonymous_client, *make_user(sqlite_db, "coordinator", "Beta Relief"))
    anonymous_client.cookies.clear()
    with ROWCA.open("rb") as handle:
        done = anonymous_client.post(
            "/api/activities/import",
            files={"file": ("rowca.csv", handle)},
            data={"dry_run": "true"},
            headers=coordinator,
        )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "dry-run" and done.json()["rows_read"] == 244
