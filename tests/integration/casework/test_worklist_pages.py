"""Casework you can move around in: each role lands on its home after login, the header
shows only the links the role may use, the case list searches and filters, the sender sees
the receiver's outcome, and a role that may not register is told so before any form."""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.engines.crypto import generate_key
from itinera.storage.database import Database

from .conftest import new_user
from .test_api_cases import CASE


@dataclass
class Office:
    app: object
    db: Database
    worker: tuple[str, str]
    receiver: tuple[str, str]
    analyst: tuple[str, str]
    receiver_org: int


@pytest.fixture(scope="module")
def office(
    casework_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Office]:
    key = base64.b64encode(generate_key()).decode()
    settings = Settings(
        database_url=casework_database_url,
        environment="test",
        field_key=key,
        key_file=tmp_path_factory.mktemp("keys") / "unused.key",
    )
    db = Database(casework_database_url)
    suffix = secrets.token_hex(3)
    worker = new_user(db, "caseworker", f"Reception {suffix}")
    receiver = new_user(db, "service_provider", f"Protection {suffix}")
    analyst = new_user(db, "analyst", f"Observatory {suffix}")
    app = build_app(settings, database=db)
    with TestClient(app) as client:
        token = client.post(
            "/api/auth/login", json={"username": receiver[0], "password": receiver[1]}
        ).json()["token"]
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    yield Office(app, db, worker, receiver, analyst, me["organisation_id"])
    db.dispose()


def _client(office: Office, user: tuple[str, str]) -> TestClient:
    client = TestClient(office.app)  # type: ignore[arg-type]
    login = client.get("/login?lang=fr")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
    assert token
    answer = client.post(
        "/login?lang=fr",
        data={"username": user[0], "password": user[1], "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/home"  # no page asked for: the role's home
    return client


def _bearer(client: TestClient, user: tuple[str, str]) -> dict[str, str]:
    answer = client.post("/api/auth/login", json={"username": user[0], "password": user[1]})
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_each_role_has_a_home_and_only_its_links(office: Office) -> None:
    worker = _client(office, office.worker)
    home = worker.get("/home?lang=fr").text
    assert 'id="home-cases"' in home and 'id="home-follow-ups"' in home
    assert 'data-nav="cases"' in home and 'data-nav="sent"' in home
    assert 'data-nav="audit"' not in home and 'id="home-analyst"' not in home
    analyst = _client(office, office.analyst)
    page = analyst.get("/home?lang=fr").text
    assert 'id="home-analyst"' in page and 'data-nav="imports"' in page
    assert 'data-nav="cases"' not in page and 'id="home-cases"' not in page
    assert analyst.get("/cases?lang=fr").status_code == 403
    receiver = _client(office, office.receiver)
    page = receiver.get("/home?lang=fr").text
    assert 'id="home-new-referrals"' in page and 'data-nav="inbox"' in page
    assert 'data-nav="cases"' not in page
    # a service provider is told before filling anything in that it may not register
    refused = receiver.get("/cases/new?lang=fr")
    assert refused.status_code == 403 and 'name="given_name"' not in refused.text
    assert "Votre compte ne peut pas utiliser cette page" in refused.text


def test_the_case_list_finds_a_case_by_number_flag_status_and_date(office: Office) -> None:
    client = _client(office, office.worker)
    bearer = _bearer(client, office.worker)
    first = client.post("/api/cases", json=CASE, headers=bearer).json()["id"]
    later = {**CASE, "arrival_date": "2026-11-20"}
    second = client.post("/api/cases", json=later, headers=bearer).json()["id"]
    client.post(
        f"/api/cases/{second}/screenings",
        headers=bearer,
        json={"answers": {"travelling_with": "alone"}},
    )
    everything = client.get("/cases?lang=fr").text
    assert first in everything and second in everything
    by_number = client.get(f"/cases?lang=fr&number={first[-4:].lower()}").text
    assert first in by_number and second not in by_number
    by_flag = client.get("/cases?lang=fr&flag=unaccompanied-separated-child").text
    assert second in by_flag and first not in by_flag
    assert "Enfant non accompagné ou séparé" in by_flag  # the flag's name, not its code
    screened = client.get("/cases?lang=fr&status=screened").text
    assert second in screened and first not in screened
    by_date = client.get("/cases?lang=fr&arrived_from=2026-11-10").text
    assert second in by_date and first not in by_date
    assert "20 nov. 2026" in by_date  # dates in the page's locale


def test_the_sender_sees_the_outcome_the_receiver_wrote(office: Office) -> None:
    client = _client(office, office.worker)
    bearer = _bearer(client, office.worker)
    case_id = client.post("/api/cases", json=CASE, headers=bearer).json()["id"]
    referral = client.post(
        "/api/referrals",
        headers=bearer,
        json={
            "case_id": case_id,
            "to_organisation_id": office.receiver_org,
            "pathway": "anti-trafficking",
            "urgency": "immediate",
            "reason": "controlled",
        },
    ).json()["id"]
    receiver = _bearer(client, office.receiver)
    for step, reason in [
        ("accepted", ""),
        ("in_progress", ""),
        ("completed", "Placed in a shelter"),
    ]:
        moved = client.post(
            f"/api/referrals/{referral}/transitions",
            headers=receiver,
            json={"to": step, "reason": reason},
        )
        assert moved.status_code == 200, moved.text
    client = _client(office, office.worker)
    sent = client.get("/referrals/sent?lang=fr")
    assert sent.status_code == 200
    card = sent.text.split(f'data-referral="{referral}"')[1].split("</li>")[0]
    assert "Placed in a shelter" in card and "Terminée" in card
    assert "completed" not in card.replace('data-status="completed"', "")


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_screening_is_post_redirect_get_and_kept_with_the_case(office: Office) -> None:
    client = _client(office, office.worker)
    bearer = _bearer(client, office.worker)
    case_id = client.post("/api/cases", json=CASE, headers=bearer).json()["id"]
    page = client.get(f"/cases/{case_id}?lang=fr").text
    assert 'id="screening-result"' not in page
    screened = client.post(
        f"/cases/{case_id}/screen?lang=fr",
        data={"csrf_token": _csrf(page), "travelling_with": "alone"},
        follow_redirects=False,
    )
    assert screened.status_code == 303
    assert screened.headers["location"].startswith(f"/cases/{case_id}?lang=fr")
    for _ in range(3):  # reloading the result shows it again and stores nothing
        shown = client.get(f"/cases/{case_id}?lang=fr").text
        assert 'data-flag="unaccompanied-separated-child"' in shown
        assert 'data-pathway="child-protection"' in shown
    stored = client.get(f"/api/cases/{case_id}", headers=bearer).json()
    assert len(stored["screenings"]) == 1
    # a referral refused for an empty reason keeps the result and what was chosen
    refused = client.post(
        f"/cases/{case_id}/refer?lang=fr",
        data={
            "csrf_token": _csrf(shown),
            "pathway": "child-protection",
            "urgency": "immediate",
            "to_organisation_id": str(office.receiver_org),
            "reason": "",
        },
    )
    assert refused.status_code == 422
    assert 'data-pathway="child-protection"' in refused.text
    assert f'value="{office.receiver_org}" selected' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert "given_name" not in refused.text.split('id="screening"')[0].split("<main")[1]


def test_the_receiver_picker_puts_first_who_offers_the_service_near_the_place(
    office: Office,
) -> None:
    from itinera.domain.access import SYSTEM
    from itinera.domain.service_point import PointKind, ServiceOffer, ServicePoint
    from itinera.services.services_map import registry

    registry.create_point(
        office.db,
        SYSTEM,
        ServicePoint(
            id=None,
            name=f"Child protection desk {secrets.token_hex(2)}",
            kind=PointKind.NGO_SERVICE_POINT,
            lat=16.97,
            lon=7.99,
            country="NER",
            locality="Agadez",
            organisation_ids=(office.receiver_org,),
            offers=(ServiceOffer("child-protection"),),
        ),
    )
    client = _client(office, office.worker)
    bearer = _bearer(client, office.worker)
    case_id = client.post("/api/cases", json=CASE, headers=bearer).json()["id"]
    client.post(
        f"/api/cases/{case_id}/screenings",
        headers=bearer,
        json={"answers": {"travelling_with": "alone"}},
    )

    def offering(page: str) -> str:
        form = page.split('data-pathway="child-protection"')[1].split("</form>")[0]
        return form.split('data-group="offering"')[1].split("</optgroup>")[0]

    near_agadez = offering(client.get(f"/cases/{case_id}?lang=fr&place=agadez").text)
    assert f'value="{office.receiver_org}"' in near_agadez and "Agadez" in near_agadez
    near_tripoli = offering(client.get(f"/cases/{case_id}?lang=fr&place=Tripoli").text)
    assert f'value="{office.receiver_org}"' not in near_tripoli
