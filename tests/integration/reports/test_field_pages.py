"""The field entry pages (C11): forms in the reader's language, entries saved, identifying text
refused next to the form, and the public sent to log in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.integration.reports.conftest import ANALYST, ROUTE

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.storage.database import Database
from itinera.web.deps import current_actor

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def recorder(report_db: Database) -> Iterator[TestClient]:
    app = build_app(Settings(database_url=report_db.url, environment="test"), database=report_db)
    app.dependency_overrides[current_actor] = lambda: ANALYST
    with TestClient(app) as client:
        yield client


def test_the_forms_are_translated_and_save_entries(recorder: TestClient) -> None:
    page = recorder.get("/field/new", params={"lang": "ar"})
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert "الرصد الميداني" in page.text and "اختطاف" in page.text  # title, a vocabulary name
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    saved = recorder.post(
        "/field/observations/new?lang=fr",
        data={
            "csrf_token": token,
            "route_id": ROUTE,
            "incident_type": "push-back",
            "perpetrator": "border-officials",
            "leg": "1",
            "date_from": "2024-02-14",
            "persons": "30",
            "source_type": "partner-report",
            "reliability": "b",
            "credibility": "2",
            "confidentiality": "internal",
        },
    )
    assert saved.status_code == 201 and 'id="saved"' in saved.text
    note = recorder.post(
        "/field/notes/new",
        data={
            "csrf_token": token,
            "route_id": ROUTE,
            "date_from": "2024-02-15",
            "text": "Crossings paused by the storm.",
            "tags": ["weather"],
        },
    )
    assert note.status_code == 201


def test_identifying_text_is_refused_on_the_page(recorder: TestClient) -> None:
    token = TOKEN.search(recorder.get("/field/new").text).group(1)  # type: ignore[union-attr]
    refused = recorder.post(
        "/field/notes/new",
        data={
            "csrf_token": token,
            "route_id": ROUTE,
            "date_from": "2024-02-15",
            "text": "Call the driver on +218 91 234 5678",
        },
    )
    assert refused.status_code == 422
    assert "phone" in refused.text and 'id="form-errors"' in refused.text
    assert "+218 91 234 5678" in refused.text  # the text is kept in the form, not stored
    without = recorder.post("/field/notes/new", data={"route_id": ROUTE, "text": "x"})
    assert without.status_code == 403  # no CSRF token


def test_the_public_is_sent_to_log_in(public: TestClient) -> None:
    answer = public.get("/field/new", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
