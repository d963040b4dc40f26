"""A "tracing" submission is handed over to the family tracing team (C10) as one tracing request
*awaiting intake*, only with the person's consent, in the same transaction as the submission,
for the organisation the settings name; the tracing team lists it (API filter), then completes
its intake. The coupling is the service bootstrap registers, not the tracing tables."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.integration.tracing.conftest import new_user

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.domain.gateway import NewSubmission, SubmissionKind
from itinera.domain.gateway_codes import read_tracking_code
from itinera.engines.crypto import generate_key
from itinera.services.gateway import handover
from itinera.services.gateway import intake as intake_service
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway
from itinera.services.tracing.gateway_handover import receive_from_gateway
from itinera.storage.accounts.tables import audit_log
from itinera.storage.database import Database
from itinera.storage.gateway.tables import gateway_submissions
from itinera.storage.tracing.tables import tracing_requests

AGENT = Actor("agent", frozenset({Role.GATEWAY_AGENT}), user_id=32, organisation_id=1)
INTAKE = {
    "inquirer": {"given_name": "Amal", "family_name": "Writer", "language": "ar"},
    "sought": [{"given_name": "سعيد", "family_name": "حسن", "sex": "male", "nationality": "SDN"}],
    "relationship": "brother",
    "consent": {"purposes": ["tracing"]},
}


@dataclass
class Handover:
    client: TestClient
    db: Database
    tracer: dict[str, str]  # tracing team of the receiving organisation
    stranger: dict[str, str]  # tracing team of another organisation
    tracer_login: tuple[str, str]  # to open the pages with a session

    @property
    def gw(self) -> Gateway:
        self.client.get("/api/gateway/submissions/0")  # builds the app's Gateway
        return self.client.app.state.gateway  # type: ignore[attr-defined,no-any-return]


def _login(client: TestClient, username: str, password: str) -> dict[str, str]:
    answer = client.post("/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture(scope="module")
def world(
    gateway_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Handover]:
    suffix = secrets.token_hex(3)
    organisation, other = f"Family Links {suffix}", f"Other Tracing {suffix}"
    settings = Settings(
        database_url=gateway_database_url,
        environment="test",
        field_key=base64.b64encode(generate_key()).decode(),
        key_file=tmp_path_factory.mktemp("keys") / "unused.key",
        gateway_tracing_organisation=organisation,
    )
    db = Database(gateway_database_url)
    users = [new_user(db, "tracing", organisation), new_user(db, "tracing", other)]
    with TestClient(build_app(settings, database=db)) as client:
        tracer, stranger = (_login(client, *user) for user in users)
        yield Handover(client, db, tracer, stranger, users[0])
    db.dispose()


def _submit(world: Handover, text: str, *, consent: bool, kind: str = "tracing") -> str:
    body = {"kind": kind, "text": text, "language": "ar", "tracing_consent": consent}
    sent = world.client.post("/api/gateway/submissions", json={**body, "contact": "+218 91 1"})
    assert sent.status_code == 201, sent.text
    return str(sent.json()["tracking_code"])


def _awaiting(world: Handover, headers: dict[str, str]) -> dict[str, dict[str, object]]:
    listed = world.client.get(
        "/api/tracing/requests", params={"status": "awaiting intake"}, headers=headers
    )
    assert listed.status_code == 200, listed.text
    assert {r["status"] for r in listed.json()} <= {"awaiting intake"}
    return {str(r["gateway_submission"]): r for r in listed.json()}


def _rows_of(world: Handover, code: str) -> list[tuple[str, str | None]]:
    with world.db.engine.connect() as connection:
        query = select(tracing_requests.c.id, tracing_requests.c.inquirer_contact_enc)
        stored = read_tracking_code(code)
        return [tuple(r) for r in connection.execute(query.filter_by(gateway_submission=stored))]


def test_consent_opens_one_request_awaiting_intake(world: Handover) -> None:
    text = f"أبحث عن أخي {secrets.token_hex(3)}"
    code = _submit(world, text, consent=True)
    request = _awaiting(world, world.tracer)[code]
    assert request["persons"] == 0
    assert code not in _awaiting(world, world.stranger)  # another organisation sees nothing
    [(request_id, contact_enc)] = _rows_of(world, code)
    assert request_id == request["id"] and contact_enc and "+218" not in contact_enc
    flags = queue_service.open_submission(world.gw, AGENT, code).flags
    assert f"tracing-request:{request_id}" in flags
    with world.db.engine.connect() as connection:
        audited = connection.execute(
            select(func.count())
            .select_from(audit_log)
            .where(audit_log.c.action == "tracing.gateway_inquiry")
            .where(audit_log.c.entity_id == request_id)
        ).scalar()
        stored = [str(v) for v in connection.execute(select(tracing_requests)).one_or_none() or ()]
    assert audited == 1
    assert not any(text in value for value in stored)  # the person's words stay in the gateway


def test_redelivery_answers_the_same_request(world: Handover) -> None:
    code = _submit(world, f"ابنتي {secrets.token_hex(3)}", consent=True)
    [(first, _)] = _rows_of(world, code)
    with world.db.transaction(write=True) as session:
        stored = read_tracking_code(code)
        assert stored is not None
        again = handover.hand_over_tracing(session, world.gw, stored, "ar", None)
    assert again == first and len(_rows_of(world, code)) == 1


def test_without_consent_nothing_is_handed_over(world: Handover) -> None:
    codes = [
        _submit(world, f"ma sœur {secrets.token_hex(3)}", consent=False),
        _submit(world, f"une question {secrets.token_hex(3)}", consent=True, kind="question"),
    ]
    for code in codes:
        assert _rows_of(world, code) == [] and code not in _awaiting(world, world.tracer)


def test_the_web_form_asks_for_consent(world: Handover) -> None:
    page = world.client.get("/help/fr/contact?kind=tracing")
    assert 'name="tracing_consent"' in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    text = f"mon père {secrets.token_hex(3)}"
    form = {"csrf_token": token, "kind": "tracing", "text": text, "tracing_consent": "yes"}
    sent = world.client.post("/help/fr/contact", data=form)
    assert sent.status_code == 201, sent.text
    with world.db.engine.connect() as connection:
        handed = connection.execute(
            select(func.count())
            .select_from(tracing_requests)
            .where(tracing_requests.c.gateway_submission.is_not(None))
        ).scalar()
    assert handed and handed >= 1


def test_a_failing_hand_over_stores_nothing(world: Handover) -> None:
    def broken(*_: object) -> str:
        raise RuntimeError("tracing is down")

    new = NewSubmission(SubmissionKind.TRACING, f"x {secrets.token_hex(3)}", "ar", None, None, True)
    with world.db.engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(gateway_submissions)).scalar()
    handover.register_tracing_handover(broken)
    try:
        with pytest.raises(RuntimeError):
            intake_service.submit(world.gw, new)
    finally:
        handover.register_tracing_handover(receive_from_gateway)
    with world.db.engine.connect() as connection:
        after = connection.execute(select(func.count()).select_from(gateway_submissions)).scalar()
    assert after == before
    # an organisation that does not exist: the submission is kept, nothing handed over
    elsewhere = replace(world.gw, tracing_organisation=f"nobody {secrets.token_hex(3)}")
    receipt = intake_service.submit(elsewhere, new)
    assert _rows_of(world, receipt.tracking_code) == []


def test_the_tracing_team_completes_the_intake(world: Handover) -> None:
    code = _submit(world, f"أختي {secrets.token_hex(3)}", consent=True)
    request_id = _awaiting(world, world.tracer)[code]["id"]
    path = f"/api/tracing/requests/{request_id}/intake"
    refused = world.client.post(path, json=INTAKE, headers=world.stranger)
    assert refused.status_code == 404, refused.text
    no_consent = world.client.post(
        path, json={**INTAKE, "consent": {"purposes": []}}, headers=world.tracer
    )
    assert no_consent.status_code == 403, no_consent.text
    assert no_consent.json()["error"]["code"] == "consent_required"
    done = world.client.post(path, json=INTAKE, headers=world.tracer)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "open" and done.json()["persons"] == 1
    assert code not in _awaiting(world, world.tracer)
    again = world.client.post(path, json=INTAKE, headers=world.tracer)
    assert again.status_code == 409, again.text
    [(_, contact_enc)] = _rows_of(world, code)
    assert contact_enc  # the contact given to the gateway is kept when none is given here


def test_the_tracing_page_lists_and_completes_the_intake(world: Handover) -> None:
    code = _submit(world, f"زوجي {secrets.token_hex(3)}", consent=True)
    request_id = str(_awaiting(world, world.tracer)[code]["id"])
    client = world.client
    username, password = world.tracer_login
    client.post("/api/auth/login", json={"username": username, "password": password})
    try:
        queue = client.get("/tracing?lang=ar", headers={"accept": "text/html"})
        assert queue.status_code == 200 and f'data-request="{request_id}"' in queue.text
        page = client.get(f"/tracing/requests/{request_id}/intake?lang=fr")
        assert page.status_code == 200 and code in page.text
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        form = {
            "csrf_token": token,
            "inquirer_given_name": "Amal",
            "inquirer_family_name": "Writer",
            "relationship": "wife",
            "given_name": "Karim",
            "family_name": "Haddad",
            "sex": "male",
            "nationality": "syr",
        }
        path = f"/tracing/requests/{request_id}/intake?lang=fr"
        unconsented = client.post(path, data=form, follow_redirects=False)
        assert unconsented.status_code == 422
        assert "Karim" in unconsented.text  # the form keeps what was typed
        done = client.post(path, data={**form, "consent": "tracing"}, follow_redirects=False)
        assert done.status_code == 303, done.text
    finally:
        client.cookies.clear()
    assert code not in _awaiting(world, world.tracer)
    opened = world.client.get(
        "/api/tracing/requests", params={"status": "open"}, headers=world.tracer
    )
    assert any(r["id"] == request_id and r["persons"] == 1 for r in opened.json())
