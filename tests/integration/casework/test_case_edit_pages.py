"""Caseworker pages to edit a case (optimistic locking) and to record or withdraw consent,
with CSRF, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.engines.crypto import generate_key
from itinera.storage.accounts.tables import audit_log
from itinera.storage.database import Database

from .conftest import new_user
from .test_api_cases import CASE


@dataclass
class Pages:
    client: TestClient
    db: Database
    bearer: dict[str, str]


@pytest.fixture(scope="module")
def pages(casework_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pages]:
    key = base64.b64encode(generate_key()).decode()
    settings = Settings(
        database_url=casework_database_url,
        environment="test",
        field_key=key,
        key_file=tmp_path_factory.mktemp("keys") / "unused.key",
    )
    db = Database(casework_database_url)
    username, password = new_user(db, "caseworker", f"Edit NGO {secrets.token_hex(3)}")
    with TestClient(build_app(settings, database=db)) as client:
        answer = client.post("/api/auth/login", json={"username": username, "password": password})
        assert answer.status_code == 200, answer.text  # the client keeps the session cookie
        yield Pages(client, db, {"Authorization": f"Bearer {answer.json()['token']}"})
    db.dispose()


def _new_case(pages: Pages) -> str:
    answer = pages.client.post("/api/cases", json=CASE, headers=pages.bearer)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def _case(pages: Pages, case_id: str) -> dict[str, Any]:
    answer = pages.client.get(f"/api/cases/{case_id}", headers=pages.bearer)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def _edit_form(page: str, **changes: str) -> dict[str, str]:
    form = dict(re.findall(r'<input name="(\w+)"[^>]*value="([^"]*)"', page))
    form.update(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page))
    form["sex"] = "female"
    form.setdefault("nationality", "GIN")  # a select: not among the inputs read above
    form.update(changes)
    return form


def test_a_caseworker_edits_a_case_and_a_stale_form_gets_the_conflict_message(
    pages: Pages,
) -> None:
    case_id = _new_case(pages)
    page = pages.client.get(f"/cases/{case_id}/edit").text
    assert 'value="Amina"' in page and 'name="version" value="1"' in page
    stale = _edit_form(page, contact="+212 699")
    saved = pages.client.post(
        f"/cases/{case_id}/edit",
        data=_edit_form(page, arrival_place="Nador"),
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert (_case(pages, case_id)["arrival_place"], _case(pages, case_id)["version"]) == (
        "Nador",
        2,
    )
    conflict = pages.client.post(f"/cases/{case_id}/edit", data=stale)
    assert conflict.status_code == 409
    assert "Someone changed this record meanwhile." in conflict.text  # a sentence, no code
    assert 'name="version" value="2"' in conflict.text and 'value="Nador"' in conflict.text
    now = _case(pages, case_id)
    assert (now["contact"], now["arrival_place"], now["version"]) == (
        "+212 600 000 000",
        "Nador",
        2,
    )


def test_edit_refuses_a_missing_csrf_token_and_bad_input_and_stores_nothing(
    pages: Pages,
) -> None:
    case_id = _new_case(pages)
    page = pages.client.get(f"/cases/{case_id}/edit?lang=fr").text
    assert "Modifier le dossier" in page
    no_token = {
        k: v for k, v in _edit_form(page, arrival_place="Ceuta").items() if k != "csrf_token"
    }
    assert pages.client.post(f"/cases/{case_id}/edit", data=no_token).status_code == 403
    empty = pages.client.post(f"/cases/{case_id}/edit", data=_edit_form(page, given_name=""))
    assert empty.status_code == 422 and "Veuillez remplir « Prénom »." in empty.text
    bad = pages.client.post(f"/cases/{case_id}/edit", data=_edit_form(page, nationality="QQQ"))
    assert bad.status_code == 422 and "doit être un code de pays connu" in bad.text
    assert "ISO 3166" not in bad.text  # the service's English message never reaches the page
    now = _case(pages, case_id)
    assert (now["given_name"], now["arrival_place"], now["version"]) == ("Amina", "Melilla", 1)


def _consent(pages: Pages, case_id: str, purposes: list[str], **extra: str) -> Any:
    page = pages.client.get(f"/cases/{case_id}/consent").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    data: dict[str, Any] = {
        "csrf_token": _csrf(page),
        "version": version.group(1),
        "purposes": purposes,
        "basis": "consent",
        # Amina is a child: her assent and her guardian's consent, stated on the form
        "child_assent": "yes",
        "child_decision": "guardian-consent",
        **extra,
    }
    return pages.client.post(f"/cases/{case_id}/consent", data=data, follow_redirects=False)


def test_withdrawing_consent_for_screening_refuses_screening_until_given_again(
    pages: Pages,
) -> None:
    case_id = _new_case(pages)
    assert _consent(pages, case_id, ["registration", "referral"]).status_code == 303
    consent = _case(pages, case_id)["consent"]
    assert (consent["purposes"], consent["withdrawn"]) == (
        ["referral", "registration"],
        ["screening"],
    )
    screen = {"answers": {"travelling_with": "alone"}}
    refused = pages.client.post(
        f"/api/cases/{case_id}/screenings", json=screen, headers=pages.bearer
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "consent_required"
    page = pages.client.get(f"/cases/{case_id}/consent?lang=ar").text
    assert "مسحوبة" in page and 'id="consent-withdrawn">الفرز<' in page  # "screening"
    assert _consent(pages, case_id, ["registration", "screening"]).status_code == 303
    assert _case(pages, case_id)["consent"]["withdrawn"] == ["referral"]
    allowed = pages.client.post(
        f"/api/cases/{case_id}/screenings", json=screen, headers=pages.bearer
    )
    assert allowed.status_code == 201, allowed.text
    with pages.db.transaction() as session:
        details = session.execute(
            select(audit_log.c.detail).where(
                audit_log.c.action == "case.consent", audit_log.c.entity_id == case_id
            )
        ).all()
    assert len(details) == 2


def test_registration_cannot_be_withdrawn_and_a_stale_consent_form_is_refused(
    pages: Pages,
) -> None:
    case_id = _new_case(pages)
    refused = _consent(pages, case_id, ["screening"])
    assert refused.status_code == 422 and "اطلب محو الملف" in refused.text
    stale = _consent(pages, case_id, ["registration"], version="7")
    assert stale.status_code == 409 and "قام شخص آخر بتعديل هذا السجل" in stale.text
    assert _case(pages, case_id)["consent"]["withdrawn"] == []
    assert _case(pages, case_id)["version"] == 1


@pytest.mark.parametrize(
    ("language", "assent_label"), [("fr", "L'assentiment de l'enfant"), ("ar", "موافقة الطفل")]
)
def test_consent_for_a_child_asks_assent_and_decision_never_pre_ticked(
    pages: Pages, language: str, assent_label: str
) -> None:
    case_id = _new_case(pages)  # Amina, born 2010: a child
    page = pages.client.get(f"/cases/{case_id}/consent?lang={language}").text
    radios = re.findall(r'<input type="radio" name="child_(?:assent|decision)"[^>]*>', page)
    assert len(radios) == 4 and not any("checked" in r for r in radios)
    assert 'name="flags_agreed" value="gbv-survivor"' in page
    answer = pages.client.post(
        f"/cases/{case_id}/consent?lang={language}",
        data={
            "csrf_token": _csrf(page),
            "version": re.findall(r'name="version" value="(\d+)"', page)[0],
            "purposes": ["registration", "screening", "referral"],
            "basis": "consent",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 422 and assent_label in html.unescape(answer.text)
    assert "child_assent" not in re.sub(r"<[^>]+>", " ", answer.text)
    assert _case(pages, case_id)["version"] == 1  # nothing stored
