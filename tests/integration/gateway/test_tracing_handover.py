"""A "tracing" submission is handed over to the family tracing team (C10) as a pending inquiry,
only with the person's consent, in the same transaction as the submission; the coupling is the
service bootstrap registers, not the tracing tables."""

from __future__ import annotations

import secrets

import pytest
from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.access import Actor, Role
from itinera.domain.errors import PermissionDeniedError
from itinera.domain.tracing_inquiry import InquiryStatus
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.inquiries import list_inquiries

TRACER = Actor("tracer", frozenset({Role.TRACING}), user_id=31, organisation_id=1)
AGENT = Actor("agent", frozenset({Role.GATEWAY_AGENT}), user_id=32, organisation_id=1)


def _contexts(world: GatewayWorld) -> tuple[Gateway, Tracing]:
    world.client.get("/api/gateway/submissions/0")  # builds the app's Gateway
    gw: Gateway = world.client.app.state.gateway  # type: ignore[attr-defined]
    return gw, Tracing(world.db, gw.cipher, gw.audit)


def _pending_texts(tr: Tracing) -> list[str | None]:
    return [i.text for i in list_inquiries(tr, TRACER, InquiryStatus.PENDING)]


def test_a_tracing_interest_with_consent_becomes_a_pending_inquiry(world: GatewayWorld) -> None:
    gw, tr = _contexts(world)
    text = f"أبحث عن أخي {secrets.token_hex(3)}"
    sent = world.client.post(
        "/api/gateway/submissions",
        json={"kind": "tracing", "text": text, "language": "ar", "tracing_consent": True},
    )
    assert sent.status_code == 201, sent.text
    assert text in _pending_texts(tr)
    code = sent.json()["tracking_code"]
    flags = queue_service.open_submission(gw, AGENT, code).flags
    assert any(flag.startswith("tracing-inquiry:") for flag in flags), flags


def test_without_consent_nothing_is_handed_over(world: GatewayWorld) -> None:
    _, tr = _contexts(world)
    for body in (
        {"kind": "tracing", "text": f"ma sœur {secrets.token_hex(3)}", "language": "fr"},
        {
            "kind": "question",
            "text": f"une question {secrets.token_hex(3)}",
            "language": "fr",
            "tracing_consent": True,  # consent to tracing means nothing on a question
        },
    ):
        assert world.client.post("/api/gateway/submissions", json=body).status_code == 201
        assert body["text"] not in _pending_texts(tr)


def test_the_web_form_asks_for_consent(world: GatewayWorld) -> None:
    _, tr = _contexts(world)
    page = world.client.get("/help/fr/contact?kind=tracing")
    assert 'name="tracing_consent"' in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    text = f"mon père {secrets.token_hex(3)}"
    form = {"csrf_token": token, "kind": "tracing", "text": text, "tracing_consent": "yes"}
    sent = world.client.post("/help/fr/contact", data=form)
    assert sent.status_code == 201, sent.text
    assert text in _pending_texts(tr)


def test_reading_inquiries_needs_the_tracing_role(world: GatewayWorld) -> None:
    _, tr = _contexts(world)
    with pytest.raises(PermissionDeniedError):
        list_inquiries(tr, AGENT)
