"""The import, import report and sources pages: login, permission, CSRF, report, dry run."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.storage.database import Database

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def analyst(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> tuple[TestClient, dict[str, str]]:
    """A browser-like client logged in (session cookie) as an analyst, and its bearer headers."""
    return anonymous_client, login(anonymous_client, *make_user(sqlite_db, "analyst"))


def _token(client: TestClient) -> str:
    page = client.get("/imports?lang=en")
    assert page.status_code == 200, page.text
    match = TOKEN.search(page.text)
    assert match is not None
    return match.group(1)


def _post(client: TestClient, name: str, **form: str) -> object:
    files = {"file": (name, (DATA / name).read_bytes(), "text/csv")}
    if "mapping" in form:
        mapping = form.pop("mapping")
        files["mapping"] = (mapping, (DATA / mapping).read_bytes(), "application/yaml")
    return client.post("/imports?lang=en", files=files, data=form, follow_redirects=False)


def test_anonymous_visitors_are_sent_to_log_in_and_others_refused(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    answer = anonymous_client.get("/imports", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    login(anonymous_client, *make_user(sqlite_db, "caseworker"))
    refused = anonymous_client.get("/imports?lang=en")
    assert refused.status_code == 403 and "may not import movement data" in refused.text


def test_an_analyst_uploads_reads_the_report_and_sees_the_source(
    analyst: tuple[TestClient, dict[str, str]],
) -> None:
    client = analyst[0]
    token = _token(client)
    forged = _post(client, "hxl-negative-count.csv", reader="hxl", source="pages")
    assert forged.status_code == 403  # type: ignore[attr-defined]

    dry = _post(
        client,
        "hxl-negative-count.csv",
        reader="hxl",
        source="pages",
        dry_run="on",
        csrf_token=token,
    )
    assert dry.status_code == 200 and 'data-status="dry-run"' in dry.text  # type: ignore[attr-defined]
    assert client.get("/api/sources").json() == []

    done = _post(client, "hxl-negative-count.csv", reader="hxl", source="pages", csrf_token=token)
    assert done.status_code == 303  # type: ignore[attr-defined]
    report = client.get(done.headers["location"])  # type: ignore[attr-defined]
    html = report.text
    assert '<dd id="rows-read">4</dd>' in html and '<dd id="rows-rejected">1</dd>' in html
    assert '<dd id="figures-stored">5</dd>' in html
    assert "<td>English Channel to the UK</td><td>1</td>" in html
    link = re.search(r'id="issues-csv" href="([^"]+)"', html)
    assert link is not None
    issues = client.get(link.group(1))
    assert issues.text.splitlines()[1].startswith("hxl-negative-count.csv,5,dead,,-1,error,")

    again = _post(client, "hxl-negative-count.csv", reader="hxl", source="pages", csrf_token=token)
    assert "unchanged=1" in again.headers["location"]  # type: ignore[attr-defined]
    _post(
        client,
        "hxl-tag-row-first-newer-vintage.csv",
        reader="hxl",
        source="other",
        csrf_token=token,
    )
    sources = client.get("/sources?lang=en").text
    assert 'data-source="pages"' in sources and 'data-source="other"' in sources
    assert "hxl-negative-count.csv" in sources
    assert re.search(r"<td>dead</td><td>2023-05</td>.*other: 14; pages: 12", sources)


def test_a_bad_mapping_or_missing_file_is_shown_on_the_form(
    analyst: tuple[TestClient, dict[str, str]],
) -> None:
    client = analyst[0]
    token = _token(client)
    bad = _post(
        client,
        "table-long-codes.csv",
        reader="table",
        csrf_token=token,
        mapping="table-wide-months-crlf.csv",
    )
    assert bad.status_code == 422 and "Nothing was saved" in bad.text  # type: ignore[attr-defined]
    assert "entry &#39;(top)&#39;" in bad.text  # type: ignore[attr-defined]
    good = _post(
        client,
        "table-long-codes.csv",
        reader="table",
        csrf_token=token,
        mapping="table-long-codes.yaml",
    )
    assert good.status_code == 303  # type: ignore[attr-defined]


def test_the_api_wants_the_csrf_token_from_browsers_but_not_from_tokens(
    analyst: tuple[TestClient, dict[str, str]],
) -> None:
    client, bearer = analyst
    token = _token(client)

    def upload(name: str, **headers: str) -> int:
        files = {"file": (name, (DATA / name).read_bytes(), "text/csv")}
        answer = client.post(
            "/api/imports?wait=true", files=files, data={"reader": "hxl"}, headers=headers
        )
        return answer.status_code

    assert upload("hxl-crlf.csv") == 403  # session cookie, no token
    assert upload("hxl-crlf.csv", **{"X-CSRF-Token": token}) == 200
    client.cookies.clear()
    assert upload("hxl-bom.csv", **bearer) == 200
