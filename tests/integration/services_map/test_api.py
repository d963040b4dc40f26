"""The /api/services contract: filters, near, validation naming fields, versions, gaps, siting."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from itinera.services import jobs

from .conftest import COORDINATOR

HUB: dict[str, Any] = {
    "name": "Agadez multi-purpose hub",
    "kind": "multi-purpose-hub",
    "lat": 16.97,
    "lon": 7.99,
    "country": "NER",
    "locality": "Agadez",
    "offers": [
        {
            "service_type": "shelter",
            "opening_hours": "Mo-Fr 08:00-16:00",
            "languages": ["fr", "ha"],
        },
        {"service_type": "legal-aid", "referral_required": True},
    ],
    "last_verified": "2026-01-10",
}


def test_validation_names_each_bad_field(coordinator_client: TestClient) -> None:
    bad = {
        **HUB,
        "lat": 95.0,
        "offers": [
            {"service_type": "massage"},
            {"service_type": "shelter", "opening_hours": "9 to 5"},
        ],
    }
    response = coordinator_client.post("/api/services/points", json=bad)
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"lat", "offers[0].service_type", "offers[1].opening_hours"} <= fields
    wrong_shape = {**HUB, "offers": [{"service_type": "shelter", "opening_hours": {"mon": "8-16"}}]}
    response = coordinator_client.post("/api/services/points", json=wrong_shape)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "offers[0].opening_hours"
    assert coordinator_client.get("/api/services").json() == []


def test_an_analyst_may_view_but_not_edit(client: TestClient) -> None:
    assert client.get("/api/services").status_code == 200
    assert client.post("/api/services/points", json=HUB).status_code == 403


def test_create_filter_near_edit_and_stale_version(coordinator_client: TestClient) -> None:
    created = coordinator_client.post("/api/services/points", json=HUB)
    assert created.status_code == 201, created.text
    point = created.json()
    assert point["verified_by"] == "test-coordinator" and point["version"] == 1
    by_language = coordinator_client.get("/api/services", params={"language": "ha"}).json()
    assert [p["id"] for p in by_language] == [point["id"]]
    assert coordinator_client.get("/api/services", params={"language": "ar"}).json() == []
    assert coordinator_client.get("/api/services", params={"q": "agadez hub"}).json()
    near = coordinator_client.get(
        "/api/services/near", params={"lat": 17.5, "lon": 8.0, "type": "legal-aid"}
    )
    assert near.json()[0]["distance_km"] == pytest_approx(59.0, 1.0)
    by_place = coordinator_client.get(
        "/api/services/near", params={"place": "Agadez", "type": "shelter"}
    )
    assert by_place.json()[0]["distance_km"] < 5
    edit = {**HUB, "name": "Agadez hub", "version": 1}
    assert (
        coordinator_client.put(f"/api/services/points/{point['id']}", json=edit).status_code == 200
    )
    stale = coordinator_client.put(f"/api/services/points/{point['id']}", json=edit)
    assert stale.status_code == 409


def test_gaps_and_siting_for_the_central_mediterranean(coordinator_client: TestClient) -> None:
    coordinator_client.post("/api/services/points", json=HUB)
    gaps = coordinator_client.get("/api/services/routes/central-mediterranean/gaps").json()
    shelter = next(c for c in gaps["coverage"] if c["service_type"] == "shelter")
    ends = [
        f
        for f in gaps["legs"]["features"]
        for end in ("from", "to")
        if f["properties"][end] == "agadez"
    ]
    # 25 km of every leg that starts or ends at the hub (legs are long and straight)
    assert shelter["covered_km"] == pytest_approx(25.0 * len(ends), 0.5) and ends
    assert shelter["providers"] == 1
    assert shelter["gaps"] and "Agadez" not in [h["label"] for h in shelter["uncovered_hotspots"]]
    siting = coordinator_client.get(
        "/api/services/routes/central-mediterranean/siting",
        params={"k": 2, "service_types": "shelter"},
    ).json()
    assert len(siting["sites"]) == 2 and siting["gap"] <= 0.01
    assert siting["covered"] >= siting["greedy"]["covered"]
    assert all({"label", "lat", "lon", "added_demand"} <= set(s) for s in siting["sites"])
    assert "Agadez" not in [s["label"] for s in siting["sites"]]  # already covered there
    queued = coordinator_client.get(
        "/api/services/routes/central-mediterranean/siting",
        params={"k": 2, "service_types": "shelter", "wait": "false"},
    )
    assert queued.status_code == 202 and queued.json()["kind"] == "services.siting"
    job = jobs.wait_for_job(
        coordinator_client.app.state.database,  # type: ignore[attr-defined]
        COORDINATOR,
        queued.json()["id"],
        timeout=120,
    )
    assert job.result is not None, job.error
    assert job.result["siting"]["sites"] == siting["sites"]  # the same answer, from a job


def pytest_approx(value: float, tolerance: float) -> Any:
    import pytest

    return pytest.approx(value, abs=tolerance)
