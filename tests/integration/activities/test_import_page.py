"""The activity import page: permission, CSRF, the shared report with the organisations before
and after resolution, the issues CSV link."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests.integration.activities.conftest import FIXTURES, ROWCA

from itinera.storage.database import Database

pytestmark = pytest.mark.shared_data
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _dd(html: str, name: str) -> str:
    found = re.search(rf'<dd id="{name}">([^<]*)</dd>', html)
    assert found is not None, name
    return found.group(1)


def test_coordinator_imports_through_the_page(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    assert anonymous_client.get("/activities/import").status_code in (200, 303)
    login(anonymous_client, *make_user(sqlite_db, "service_provider", "Alpha Aid"))
    assert anonymous_client.get("/activities/import?lang=fr").status_code == 403
    anonymous_client.cookies.clear()
    login(anonymous_client, *make_user(sqlite_db, "coordinator", "Beta Relief"))
    page = anonymous_client.get("/activities/import?lang=fr")
    assert page.status_code == 200 and "Importer des activités" in page.text
    token = TOKEN.search(page.text)
    assert token is not None
    no_token = anonymous_client.post(
        "/activities/import?lang=en", files={"file": ("rowca.csv", ROWCA.read_bytes())}
    )
    assert no_token.status_code in (400, 403)
    done = anonymous_client.post(
        "/activities/import?lang=en",
        files={"file": ("rowca.csv", ROWCA.read_bytes(), "text/csv")},
        data={"csrf_token": token.group(1), "format": "hxl"},
    )
    assert done.status_code == 200, done.text
    assert _dd(done.text, "activities-added") == "162"
    assert _dd(done.text, "organisations-named") == _dd(done.text, "organisations-resolved") == "11"
    refused = anonymous_client.post(
        "/activities/import?lang=en",
        files={"file": ("bad.csv", (FIXTURES / "activities-failure-modes.csv").read_bytes())},
        data={"csrf_token": token.group(1), "format": "hxl", "strict": "on"},
    )
    assert refused.status_code == 200
    assert "no implementing organisation" in refused.text and "data:text/csv" in refused.text
