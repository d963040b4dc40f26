"""The screening rules pages (issue 12): an administrator edits, previews, saves and activates
versions; errors come back as sentences in the page's language under the text at fault, with
what was typed; other roles get the 403 page; the case page shows the version a screening
used. SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.engines.crypto import generate_key
from itinera.reference.screening import packaged_screening_texts
from itinera.storage.database import Database

from .conftest import new_user
from .test_api_cases import CASE


@dataclass
class Site:
    settings: Settings
    db: Database


@pytest.fixture(scope="module")
def site(casework_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    key = base64.b64encode(generate_key()).decode()
    settings = Settings(
        database_url=casework_database_url,
        environment="test",
        field_key=key,
        key_file=tmp_path_factory.mktemp("keys") / "unused.key",
    )
    db = Database(casework_database_url)
    yield Site(settings, db)
    db.dispose()


def _client(site: Site, role: str) -> TestClient:
    username, password = new_user(site.db, role, f"Rules NGO {secrets.token_hex(3)}")
    client = TestClient(build_app(site.settings, database=site.db))
    answer = client.post("/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    client.headers["X-Test-Bearer"] = answer.json()["token"]
    return client


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def _draft(page: str, **changes: str) -> dict[str, str]:
    form = {
        name: html.unescape(text)
        for name, text in re.findall(
            r'<textarea id="f-(\w+_text)"[^>]*>(.*?)</textarea>', page, re.S
        )
    }
    assert set(form) == {"questionnaire_text", "rules_text", "pathways_text"}
    form["csrf_token"] = _csrf(page)
    form.update(changes)
    return form


def test_an_administrator_previews_corrects_saves_and_activates(site: Site) -> None:
    client = _client(site, "administrator")
    listing = client.get("/admin/screening?lang=fr")
    assert listing.status_code == 200
    assert 'data-version="1" data-active="true"' in listing.text
    assert "Les fichiers fournis" in listing.text or "The packaged files" not in listing.text

    editor = client.get("/admin/screening/new?lang=ar")
    assert editor.status_code == 200
    form = _draft(editor.text)
    assert form["rules_text"] == packaged_screening_texts().rules

    preview = client.post(
        "/admin/screening/new?lang=ar",
        data={**form, "action": "preview", "age_years": "15", "travelling_with": "alone"},
    )
    assert preview.status_code == 200, preview.text
    result = preview.text.split('id="preview-result"')[1]
    assert 'data-flag="unaccompanied-separated-child"' in result
    assert 'data-pathway="child-protection"' in result
    assert 'value="15"' in preview.text  # the sample answers come back
    assert 'data-version="2"' not in client.get("/admin/screening").text  # nothing stored

    broken = form["rules_text"].replace(
        "question: travelling_with, values", "question: travelling_wit, values", 1
    )
    refused = client.post(
        "/admin/screening/new?lang=fr",
        data={**form, "rules_text": broken, "comment": "", "action": "save"},
    )
    assert refused.status_code == 422
    assert 'id="f-rules_text-error"' in refused.text
    assert "« Règles (YAML) » contient une erreur à la ligne 11" in html.unescape(refused.text)
    assert "Veuillez remplir « Ce qui a changé et pourquoi »" in html.unescape(refused.text)
    assert "travelling_wit" in refused.text  # what was typed comes back

    saved = client.post(
        "/admin/screening/new?lang=fr",
        data={**form, "comment": "Seuil revu", "activate": "1", "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "done=saved" in saved.headers["location"]
    listing = client.get(saved.headers["location"])
    assert 'id="screening-notice"' in listing.text
    assert re.search(r'data-version="(\d+)" data-active="true"', listing.text).group(1) != "1"  # type: ignore[union-attr]

    back = client.post(
        "/admin/screening/1/activate?lang=fr",
        data={"csrf_token": _csrf(listing.text)},
        follow_redirects=False,
    )
    assert back.status_code == 303
    assert 'data-version="1" data-active="true"' in client.get("/admin/screening").text


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "analyst", "service_provider"])
def test_other_roles_get_the_not_allowed_page(site: Site, role: str) -> None:
    client = _client(site, role)
    for path in ("/admin/screening?lang=fr", "/admin/screening/new?lang=fr"):
        answer = client.get(path)
        assert answer.status_code == 403
        assert "<html" in answer.text and "Screening rules" not in answer.text
    assert "/admin/screening" not in client.get("/home?lang=fr").text


def test_anonymous_is_sent_to_the_login(site: Site) -> None:
    client = TestClient(build_app(site.settings, database=site.db))
    answer = client.get("/admin/screening", follow_redirects=False)
    assert answer.status_code == 303 and "/login" in answer.headers["location"]


def test_the_case_page_shows_the_version_a_screening_used(site: Site) -> None:
    client = _client(site, "caseworker")
    adult = {**CASE, "date_of_birth": "1990-05-01"}
    bearer = {"Authorization": f"Bearer {client.headers['X-Test-Bearer']}"}
    registered = client.post("/api/cases", json=adult, headers=bearer)
    assert registered.status_code == 201, registered.text
    case_id = registered.json()["id"]
    page = client.get(f"/cases/{case_id}?lang=fr")
    screened = client.post(
        f"/cases/{case_id}/screen?lang=fr",
        data={"csrf_token": _csrf(page.text), "has_disability": "yes"},
        follow_redirects=True,
    )
    assert screened.status_code == 200
    version = re.search(r'id="screening-version">([^<]+)<', screened.text)
    assert version and "version" in version.group(1)


def test_the_validator_detail_is_in_the_page_language(site: Site) -> None:
    client = _client(site, "administrator")
    form = _draft(client.get("/admin/screening/new?lang=fr").text)
    broken = form["rules_text"].replace("urgency: immediate", "urgency: whenever", 1)
    expected = {
        "fr": "règle « unaccompanied-child », champ « referrals.0.urgency » : "
        '"whenever" ne fait pas partie de',
        "ar": 'القاعدة «unaccompanied-child»، الحقل «referrals.0.urgency»: "whenever" ليس من بين',
    }
    for language, words in expected.items():
        refused = client.post(
            f"/admin/screening/new?lang={language}",
            data={**form, "rules_text": broken, "comment": "x", "action": "save"},
        )
        assert refused.status_code == 422
        detail = re.search(r'<p class="field-detail" dir="auto">([^<]*)</p>', refused.text)
        assert detail is not None, "no detail under the rules text"
        shown = html.unescape(detail.group(1))
        assert words in shown and "is not one of" not in shown and "field" not in shown
