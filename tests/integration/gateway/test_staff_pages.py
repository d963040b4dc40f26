"""A staff member answers from the queue pages in French; the person reads it by code."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

from babel.dates import format_date
from tests.integration.casework.conftest import new_user
from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.gateway import NewSubmission, SubmissionKind
from itinera.services.gateway import intake
from itinera.services.gateway.context import Gateway


def test_an_agent_answers_a_message_from_the_queue_in_french(world: GatewayWorld) -> None:
    client = world.client
    sent = client.post(
        "/api/gateway/submissions",
        json={"kind": "question", "text": "هل المساعدة القانونية مجانية؟", "language": "ar"},
    )
    code = sent.json()["tracking_code"]
    assert client.get("/gateway/queue", follow_redirects=False).status_code == 303
    username, password = new_user(world.db, "gateway_agent", "Contact Centre")
    login = client.post("/api/auth/login", json={"username": username, "password": password})
    assert login.status_code == 200
    try:
        listed = client.get("/gateway/queue?lang=fr")
        assert listed.status_code == 200 and "File d’attente du portail" in listed.text
        assert code in listed.text
        page = client.get(f"/gateway/queue/{code}?lang=fr")
        assert '<bdi dir="auto">هل المساعدة القانونية مجانية؟</bdi>' in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        answered = client.post(
            f"/gateway/queue/{code}/answers?lang=fr",
            data={"csrf_token": token.group(1), "body": "Oui, elle est gratuite."},
            follow_redirects=False,
        )
        assert answered.status_code == 303, answered.text
        note = client.post(
            f"/gateway/queue/{code}/answers?lang=fr",
            data={"csrf_token": token.group(1), "body": "Vérifié avec le juriste.", "note": "on"},
            follow_redirects=False,
        )
        assert note.status_code == 303
        assert "Vérifié avec le juriste." in client.get(f"/gateway/queue/{code}?lang=fr").text
    finally:
        client.cookies.clear()
    tracked = client.get(f"/api/gateway/submissions/{code}").json()
    assert tracked["status"] == "answered"
    assert [a["body"] for a in tracked["answers"]] == ["Oui, elle est gratuite."]


def test_home_reminds_of_overdue_messages_and_shows_what_people_ask(world: GatewayWorld) -> None:
    client = world.client
    client.get("/api/gateway/submissions/0")  # builds the app's Gateway
    gw: Gateway = client.app.state.gateway  # type: ignore[attr-defined]
    long_ago = datetime.now(UTC) - timedelta(days=30)
    late = dataclasses.replace(gw, now=lambda: long_ago)
    for _ in range(6):
        intake.submit(late, NewSubmission(SubmissionKind.QUESTION, "une question", "fr"))
    username, password = new_user(world.db, "gateway_agent", "Contact Centre")
    assert client.post(
        "/api/auth/login", json={"username": username, "password": password}
    ).is_success
    try:
        home = client.get("/home?lang=fr")
        assert home.status_code == 200
        overdue = re.search(r"(\d+) messages ont dépassé leur délai de réponse", home.text)
        assert overdue and int(overdue.group(1)) >= 6, home.text
        assert "/gateway/queue?overdue=true" in home.text
    finally:
        client.post("/logout")
        client.cookies.clear()
    username, password = new_user(world.db, "coordinator", "Contact Centre")
    assert client.post(
        "/api/auth/login", json={"username": username, "password": password}
    ).is_success
    try:
        home = client.get("/home?lang=fr")
        assert "Ce que les gens demandent" in home.text
        month = format_date(long_ago.date(), "MMM y", locale="fr")  # "nov. 2026", not 2026-11
        assert month in home.text and "Une question" in home.text
    finally:
        client.cookies.clear()
