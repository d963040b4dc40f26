"""Editing service points from the pages: field errors, optimistic locking, verified today,
status change; login, permission and CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from itinera.storage.database import Database

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
GOOD = {
    "name": "Agadez one-stop shop",
    "kind": "multi-purpose-hub",
    "lat": "16.97",
    "lon": "7.99",
    "country": "NER",
    "status": "active",
    "offers[0].service_type": "health-first-aid",
    "offers[0].opening_hours": "Mo-Fr 08:00-16:00",
    "offers[0].languages": "fr, ha",
    "contacts": "phone: +227 20 00 00 00",
}


def _token(client: TestClient, path: str = "/services/points/new") -> str:
    page = client.get(f"{path}?lang=en")
    assert page.status_code == 200, page.text
    match = TOKEN.search(page.text)
    assert match is not None
    return match.group(1)


def _create(client: TestClient) -> int:
    form = {**GOOD, "csrf_token": _token(client)}
    answer = client.post("/services/points/new?lang=en", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    found = re.search(r"/services/points/(\d+)", answer.headers["location"])
    assert found is not None
    return int(found.group(1))


def test_visitors_log_in_first_and_analysts_may_not_edit(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    answer = anonymous_client.get("/services/points/new", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    login(anonymous_client, *make_user(sqlite_db, "caseworker"))
    refused = anonymous_client.get("/services/points/new?lang=en")
    assert refused.status_code == 403 and "may not edit service points" in refused.text


def test_a_new_point_is_stored_and_a_forged_form_refused(coordinator: TestClient) -> None:
    forged = coordinator.post("/services/points/new?lang=en", data=GOOD)
    assert forged.status_code == 403
    assert coordinator.get("/api/services").json() == []
    point_id = _create(coordinator)
    stored = coordinator.get(f"/api/services/points/{point_id}").json()
    assert (stored["lat"], stored["lon"], stored["country"]) == (16.97, 7.99, "NER")
    assert stored["offers"][0]["languages"] == ["fr", "ha"]
    assert stored["contacts"] == [{"kind": "phone", "value": "+227 20 00 00 00", "label": None}]
    page = coordinator.get(f"/services/points/{point_id}?lang=en")
    assert 'id="edit-point"' in page.text and 'id="mark-verified"' in page.text


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("lat", "123.5", 'id="error-lat"'),
        ("lon", "east", 'id="error-lon"'),
        ("offers[0].service_type", "teleportation", 'id="error-offers-0-service_type"'),
        ("offers[0].opening_hours", "8 to 4", 'id="error-offers-0-opening_hours"'),
        ("contacts", "fax 0048 22", 'id="error-contacts"'),
    ],
)
def test_bad_fields_are_shown_next_to_the_field_and_nothing_is_saved(
    coordinator: TestClient, field: str, value: str, shown: str
) -> None:
    point_id = _create(coordinator)
    before = coordinator.get(f"/api/services/points/{point_id}").json()
    form = {**GOOD, field: value, "version": "1", "csrf_token": _token(coordinator)}
    answer = coordinator.post(f"/services/points/{point_id}/edit?lang=en", data=form)
    assert answer.status_code == 422 and shown in answer.text
    assert f'value="{value}"' in answer.text or f">{value}<" in answer.text  # kept as typed
    assert coordinator.get(f"/api/services/points/{point_id}").json() == before


def test_a_stale_version_is_a_conflict_and_changes_nothing(coordinator_any_db: TestClient) -> None:
    coordinator = coordinator_any_db
    point_id = _create(coordinator)
    token = _token(coordinator)
    edit = f"/services/points/{point_id}/edit?lang=en"
    first = coordinator.post(
        edit,
        data={**GOOD, "name": "Renamed", "version": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert first.status_code == 303
    stale = coordinator.post(
        edit, data={**GOOD, "name": "Lost update", "version": "1", "csrf_token": token}
    )
    assert stale.status_code == 409 and 'id="conflict"' in stale.text
    assert coordinator.get(f"/api/services/points/{point_id}").json()["name"] == "Renamed"


def test_mark_verified_today_and_change_status(coordinator_any_db: TestClient) -> None:
    coordinator = coordinator_any_db
    point_id = _create(coordinator)
    token = _token(coordinator)
    base = f"/services/points/{point_id}"
    done = coordinator.post(
        f"{base}/verify?lang=en", data={"version": "1", "csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    point = coordinator.get(f"/api/services/points/{point_id}").json()
    assert point["last_verified"] == date.today().isoformat() and not point["stale"]
    assert point["verified_by"].startswith("coordinator-")
    form = {"status": "closed", "version": "1", "csrf_token": token}
    stale = coordinator.post(f"{base}/status?lang=en", data=form)
    assert stale.status_code == 409
    closed = coordinator.post(
        f"{base}/status?lang=en",
        follow_redirects=False,
        data={"status": "suspended", "version": str(point["version"]), "csrf_token": token},
    )
    assert closed.status_code == 303
    point = coordinator.get(f"/api/services/points/{point_id}").json()
    assert (point["status"], point["status_since"]) == ("suspended", date.today().isoformat())


def test_api_writes_with_the_session_cookie_need_the_csrf_token(coordinator: TestClient) -> None:
    body = {
        "name": "Niamey hub",
        "kind": "multi-purpose-hub",
        "lat": 13.5,
        "lon": 2.1,
        "offers": [{"service_type": "shelter"}],
    }
    refused = coordinator.post("/api/services/points", json=body)
    assert refused.status_code == 403 and coordinator.get("/api/services").json() == []
    headers = {"X-CSRF-Token": _token(coordinator)}
    assert coordinator.post("/api/services/points", json=body, headers=headers).status_code == 201


def test_an_unknown_status_is_refused(coordinator: TestClient) -> None:
    point_id = _create(coordinator)
    form = {"status": "demolished", "version": "1", "csrf_token": _token(coordinator)}
    answer = coordinator.post(f"/services/points/{point_id}/status?lang=en", data=form)
    assert answer.status_code == 422 and "demolished" in answer.text
    assert coordinator.get(f"/api/services/points/{point_id}").json()["status"] == "active"
