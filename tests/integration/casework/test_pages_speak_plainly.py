"""Plain language on casework pages: a French or Arabic page shows no code of a known
vocabulary (vulnerability flags, referral and case statuses, roles, shared field names,
country codes) and no English message of a service; every page answers HTML, not JSON."""

from __future__ import annotations

import base64
import html
import re
import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Role
from itinera.domain.case_list import CaseStatus
from itinera.domain.referral import ReferralStatus
from itinera.engines.crypto import generate_key
from itinera.reference.vulnerabilities import vulnerability_names
from itinera.storage.database import Database
from itinera.web.labels import LABELS

from .conftest import new_user
from .test_api_cases import CASE

# codes that are also ordinary words in a sentence are left out (e.g. "sent" in English)
VOCABULARY = (
    set(vulnerability_names("en"))
    | {s.value for s in ReferralStatus if "_" in s.value}
    | {s.value for s in ReferralStatus}
    | {s.value for s in CaseStatus}
    | {r.value for r in Role if "_" in r.value}
    | {f for f in LABELS["field"] if "_" in f}
    | {"GIN", "child-protection", "anti-trafficking"}
    | set(LABELS["audit_action"])
)


def visible_text(page: str) -> str:
    """What a reader sees: no tags, attributes, scripts or styles."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def codes_in(page: str) -> list[str]:
    text = visible_text(page)
    return sorted(c for c in VOCABULARY if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text))


@pytest.fixture(scope="module")
def clients(
    casework_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, object]]:
    settings = Settings(
        database_url=casework_database_url,
        environment="test",
        field_key=base64.b64encode(generate_key()).decode(),
        key_file=tmp_path_factory.mktemp("keys") / "unused.key",
    )
    db = Database(casework_database_url)
    suffix = secrets.token_hex(3)
    worker = new_user(db, "caseworker", f"Reception {suffix}")
    receiver = new_user(db, "service_provider", f"Protection {suffix}")
    admin = new_user(db, "administrator", f"Platform {suffix}")
    app = build_app(settings, database=db)
    with TestClient(app) as client:
        tokens = []
        for username, password in (worker, receiver, admin):
            answer = client.post(
                "/api/auth/login", json={"username": username, "password": password}
            )
            tokens.append({"Authorization": f"Bearer {answer.json()['token']}"})
        receiver_org = client.get("/api/auth/me", headers=tokens[1]).json()["organisation_id"]
        case_id = client.post("/api/cases", json=CASE, headers=tokens[0]).json()["id"]
        client.post(
            f"/api/cases/{case_id}/screenings",
            headers=tokens[0],
            json={"answers": {"travelling_with": "alone"}},
        )
        referral = client.post(
            "/api/referrals",
            headers=tokens[0],
            json={
                "case_id": case_id,
                "to_organisation_id": receiver_org,
                "pathway": "child-protection",
                "urgency": "immediate",
                "reason": "travelling alone",
            },
        ).json()["id"]
        yield {"client": client, "tokens": tokens, "case": case_id, "referral": referral}
    db.dispose()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_casework_pages_show_no_code_of_a_known_vocabulary(
    clients: dict[str, object], language: str
) -> None:
    client = clients["client"]
    assert isinstance(client, TestClient)
    worker, receiver, admin = clients["tokens"]  # type: ignore[misc]
    case_id, referral = clients["case"], clients["referral"]
    pages = {
        worker["Authorization"]: [
            "/home",
            "/cases",
            f"/cases/{case_id}",
            "/cases/new",
            f"/cases/{case_id}/edit",
            f"/cases/{case_id}/consent",
            "/referrals/sent",
            "/follow-ups",
            f"/referrals/{referral}",
        ],
        receiver["Authorization"]: ["/home", "/referrals", f"/referrals/{referral}"],
        admin["Authorization"]: ["/home", "/admin/audit"],
    }
    found = {}
    for token, paths in pages.items():
        for path in paths:
            answer = client.get(
                f"{path}?lang={language}",
                headers={"Authorization": token, "Accept": "text/html"},
            )
            assert answer.status_code == 200, (path, answer.status_code)
            assert answer.headers["content-type"].startswith("text/html"), path
            if codes := codes_in(answer.text):
                found[path] = codes
    assert found == {}, f"codes shown on {language} pages: {found}"


def test_the_vocabulary_check_can_fail() -> None:
    assert codes_in("<p>Statut : in_progress</p>") == ["in_progress"]
    assert codes_in('<p data-flag="trafficking-victim">Victime de la traite</p>') == []
    assert codes_in("<td>auth.login</td>") == ["auth.login"]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_page_never_answers_raw_json(clients: dict[str, object], language: str) -> None:
    client = clients["client"]
    assert isinstance(client, TestClient)
    _, receiver, _ = clients["tokens"]  # type: ignore[misc]
    browser = {"Accept": "text/html", **receiver}
    for path in ("/cases", "/cases/C-0000-0000-0000", "/no-such-page"):
        answer = client.get(f"{path}?lang={language}", headers=browser)
        assert answer.status_code in (403, 404), path
        assert answer.headers["content-type"].startswith("text/html"), path
        assert '{"error"' not in answer.text
