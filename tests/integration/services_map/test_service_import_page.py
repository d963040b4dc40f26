"""The service-list import page: login, permission, CSRF, the report, dry run, issues CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from itinera.storage.database import Database

from .conftest import IFR_POLAND, UNHCR_3W

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
MAPPING = (
    Path(__file__).resolve().parents[3]
    / "src/itinera/reference/data/service_mapping_ifr_poland_2022.yaml"
)


def _token(client: TestClient) -> str:
    page = client.get("/services/import?lang=en")
    assert page.status_code == 200, page.text
    match = TOKEN.search(page.text)
    assert match is not None
    return match.group(1)


def _post(client: TestClient, path: Path, mapping_file: Path | None = None, **form: str) -> str:
    files = {"file": (path.name, path.read_bytes(), "text/csv")}
    if mapping_file is not None:
        files["mapping_file"] = (mapping_file.name, mapping_file.read_bytes(), "application/yaml")
    answer = client.post("/services/import?lang=en", files=files, data=form)
    assert answer.status_code in (200, 403, 422), answer.text
    return f"{answer.status_code}\n{answer.text}"


def _dd(html: str, name: str) -> str:
    found = re.search(rf'<dd id="{name}">([^<]*)</dd>', html)
    assert found is not None, name
    return found.group(1)


def test_anonymous_visitors_log_in_first_and_caseworkers_are_refused(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    answer = anonymous_client.get("/services/import", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?lang=en&next=/services/import"
    login(anonymous_client, *make_user(sqlite_db, "caseworker"))
    refused = anonymous_client.get("/services/import?lang=en")
    assert refused.status_code == 403 and "may not import service lists" in refused.text


@pytest.mark.shared_data
def test_a_coordinator_imports_a_table_with_an_uploaded_mapping(coordinator: TestClient) -> None:
    token = _token(coordinator)
    forged = _post(coordinator, IFR_POLAND, MAPPING, format="table")
    assert forged.startswith("403")
    assert coordinator.get("/api/services").json() == []

    dry = _post(coordinator, IFR_POLAND, MAPPING, format="table", dry_run="on", csrf_token=token)
    assert dry.startswith("200") and 'data-status="dry-run"' in dry
    assert int(_dd(dry, "points-added")) == 0 and int(_dd(dry, "rows-read")) > 0
    assert coordinator.get("/api/services").json() == []

    done = _post(coordinator, IFR_POLAND, MAPPING, format="table", csrf_token=token)
    assert 'data-status="imported"' in done
    added = int(_dd(done, "points-added"))
    assert added > 0 and len(coordinator.get("/api/services").json()) == added

    again = _post(
        coordinator, IFR_POLAND, format="table", mapping="ifr-poland-2022", csrf_token=token
    )
    assert _dd(again, "points-added") == "0" and int(_dd(again, "points-unchanged")) == added


@pytest.mark.shared_data
def test_the_report_lists_non_service_sectors_and_issues_as_csv(coordinator: TestClient) -> None:
    html = _post(coordinator, UNHCR_3W, format="hxl", csrf_token=_token(coordinator))
    assert 'id="non-service"' in html
    link = re.search(r'id="issues-csv" href="data:text/csv;charset=utf-8,([^"]+)"', html)
    assert link is not None
    rows = list(csv.DictReader(io.StringIO(unquote(link.group(1)))))
    assert len(rows) == int(_dd(html, "issue-count")) > 0
    assert list(rows[0]) == [
        "file",
        "row",
        "column",
        "tag",
        "value",
        "severity",
        "message",
        "suggestion",
    ]
    assert all(r["file"] == UNHCR_3W.name for r in rows)
    assert any(r["row"] for r in rows)


def test_a_bad_request_is_shown_on_the_form_and_stores_nothing(coordinator: TestClient) -> None:
    html = _post(
        coordinator,
        UNHCR_3W,
        format="table",
        mapping="no-such-mapping",
        csrf_token=_token(coordinator),
    )
    # the problem is listed in words and links to the mapping field it concerns
    assert html.startswith("422") and '<a href="#f-mapping">' in html
    assert "no-such-mapping" in html
    assert coordinator.get("/api/services").json() == []


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_the_forms_render_in_french_and_arabic(
    coordinator: TestClient, language: str, direction: str
) -> None:
    for path in ("/services/import", "/services/points/new"):
        page = coordinator.get(f"{path}?lang={language}")
        assert page.status_code == 200 and f'dir="{direction}"' in page.text
