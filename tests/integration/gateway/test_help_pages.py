"""The public help pages under /help/{lang}: forms posted without JavaScript, light pages,
typed text isolated for mixed directions, a fourth language (Tigrinya) from a catalog alone."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.access import Actor, Role
from itinera.services.gateway import queue as queue_service

AGENT = Actor("agent-fr", frozenset({Role.GATEWAY_AGENT}), user_id=7, organisation_id=1)


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the form carries its CSRF token"
    return found.group(1)


def _send(client: TestClient, lang: str, **fields: str) -> tuple[int, str]:
    form = client.get(f"/help/{lang}/contact?kind=complaint")
    assert form.status_code == 200
    data = {"csrf_token": _token(form.text), "kind": "complaint", "text": "", **fields}
    sent = client.post(f"/help/{lang}/contact", data=data)
    return sent.status_code, sent.text


def test_a_complaint_in_arabic_is_answered_in_french_and_read_by_its_code(
    world: GatewayWorld,
) -> None:
    home = world.client.get("/help/ar")
    assert home.status_code == 200
    assert '<html lang="ar" dir="rtl">' in home.text and "كيف يمكننا مساعدتك؟" in home.text
    assert "<script" not in home.text
    status, page = _send(world.client, "ar", text="طلبوا مني مالاً مقابل الطعام")
    assert status == 201, page
    code = re.search(r'<p class="code"><bdi dir="ltr">([0-9A-Z-]+)</bdi>', page)
    assert code, page
    gateway = world.client.app.state.gateway  # type: ignore[attr-defined]
    queue_service.answer(
        gateway, AGENT, code.group(1), "Merci, nous enquêtons. Appelez le +33 1 23 45 67 89.", "fr"
    )
    tracked = world.client.get(f"/help/ar/track?code={code.group(1).lower()}")
    assert tracked.status_code == 200
    assert "تمّ الرد." in tracked.text
    assert (
        '<bdi dir="auto">Merci, nous enquêtons. Appelez le +33 1 23 45 67 89.</bdi>' in tracked.text
    )
    assert "مالاً" not in tracked.text, "the person's own message is not shown by code"


def test_the_honeypot_drops_robots_and_bad_forms_say_why(world: GatewayWorld) -> None:
    gateway = world.client.app.state.gateway  # type: ignore[attr-defined]
    before = len(queue_service.queue(gateway, AGENT))
    status, page = _send(world.client, "en", text="buy now", website="http://spam.example")
    assert status == 200 and "tracking code" not in page.lower()
    assert len(queue_service.queue(gateway, AGENT)) == before
    status, page = _send(world.client, "fr", text="")
    assert status == 422 and "Veuillez écrire votre message" in page
    no_token = world.client.post("/help/en/contact", data={"kind": "question", "text": "x"})
    assert no_token.status_code == 403


def test_unknown_codes_are_said_plainly(world: GatewayWorld) -> None:
    page = world.client.get("/help/fr/track?code=0000-0000-0000-00")
    assert page.status_code == 404 and "Nous ne connaissons pas ce code" in page.text
    world.client.app.state.gateway_lookups = None  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["", "/contact", "/track"])
def test_pages_are_light_and_work_in_a_fourth_language(world: GatewayWorld, path: str) -> None:
    page = world.client.get(f"/help/ti{path}")
    assert page.status_code == 200
    assert '<html lang="ti" dir="ltr">' in page.text
    assert re.search(r"[\u1200-\u137f]{3}", page.text), "Ge'ez script from the ti catalog"
    css = world.client.get("/static/css/gateway.css")
    # progressive enhancement only: our own small deferred files, never inline, never needed
    scripts = re.findall(r"<script[^>]*>", page.text)
    sources = [re.search(r'src="([^"]+)"', tag) for tag in scripts]
    assert all(s and s.group(1).startswith("/static/js/gateway-") for s in sources), scripts
    assert all("defer" in tag for tag in scripts)
    weight = sum(len(world.client.get(s.group(1)).content) for s in sources if s)
    assert len(page.content) + len(css.content) + weight < 100_000


def test_help_remembers_the_language_without_an_account(world: GatewayWorld) -> None:
    world.client.get("/help/fr")
    again = world.client.get("/help", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/help/fr"
    world.client.cookies.delete("itinera_help_lang")


def test_a_sensitive_complaint_from_the_form_is_told_what_happens(world: GatewayWorld) -> None:
    status, page = _send(
        world.client, "fr", text="Un agent m’a demandé de l’argent", category="fraud"
    )
    assert status == 201
    assert "Seules quelques personnes formées la liront" in page


def test_an_acute_risk_shows_emergency_numbers_at_once_and_tops_the_queue(
    world: GatewayWorld,
) -> None:
    _send(world.client, "en", text="an ordinary question first")
    status, page = _send(
        world.client, "ar", text="طفل وحده في المحطة", acute="child_alone", country="TUN"
    )
    assert status == 201
    assert "إذا كنت في خطر الآن، اتصل بـ:" in page and 'href="tel:197"' in page
    gateway = world.client.app.state.gateway  # type: ignore[attr-defined]
    first = queue_service.queue(gateway, AGENT)[0]
    assert "acute:child_alone" in first.flags
    status, page = _send(world.client, "fr", text="x", acute="medical", country="ITA")
    assert 'href="tel:112"' in page
    status, _ = _send(world.client, "fr", text="x", acute="not-a-risk")
    assert status == 422


def test_report_a_problem_sends_the_entry_back_to_staff(world: GatewayWorld) -> None:
    form = world.client.get("/help/fr/contact?kind=feedback&about=service:42")
    assert 'name="about" value="service:42"' in form.text
    sent = world.client.post(
        "/help/fr/contact",
        data={
            "csrf_token": _token(form.text),
            "kind": "feedback",
            "text": "Ce bureau a fermé",
            "about": "service:42",
        },
    )
    assert sent.status_code == 201
    gateway = world.client.app.state.gateway  # type: ignore[attr-defined]
    flagged = [s for s in queue_service.queue(gateway, AGENT) if "about:service:42" in s.flags]
    assert len(flagged) == 1
    forged = world.client.post(
        "/help/fr/contact",
        data={"csrf_token": _token(form.text), "kind": "feedback", "text": "x", "about": "<b>"},
    )
    assert forged.status_code == 422
    assert world.client.get("/help/fr/contact?about=bad").status_code == 422
