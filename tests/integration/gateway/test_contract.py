"""The gateway's contract (issue 14), on SQLite and PostgreSQL: channels with a secret printed
once, signed inbound messages (Standard Webhooks), the public intake (a lean route, decision
0035, with every defence of the full stack) and tracking by code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from typing import Any

from sqlalchemy import text
from tests.integration.gateway.conftest import GatewayWorld
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.web.login_limit import LoginRateLimiter

cli = build_cli()


def _channel(world: GatewayWorld, kind: str = "webhook") -> tuple[str, str]:
    name = f"sms-{secrets.token_hex(4)}"
    result = CliRunner().invoke(
        cli, ["gateway", "channels", "add", name, "--kind", kind], env=world.env
    )
    assert result.exit_code == 0, result.output
    found = re.findall(r"whsec_[A-Za-z0-9+/=]+", result.output)
    assert len(found) == 1, "the secret is printed exactly once"
    return name, found[0]


def _signed(
    secret: str, body: bytes, *, msg_id: str | None = None, at: int | None = None
) -> dict[str, str]:
    """Signed the way the Standard Webhooks specification describes, written out here on its own
    so that the test does not trust the code under test to sign."""
    msg_id = msg_id or f"msg_{secrets.token_hex(8)}"
    timestamp = str(at if at is not None else int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
        "content-type": "application/json",
    }


def _body(text_: str = "أين أجد مساعدة قانونية؟", language: str = "ar") -> bytes:
    return json.dumps({"from": "+216 20 000 000", "text": text_, "language": language}).encode()


def test_a_signed_message_creates_one_submission_even_when_delivered_twice(
    world: GatewayWorld,
) -> None:
    name, secret = _channel(world)
    body = _body()
    headers = _signed(secret, body)
    first = world.client.post(f"/api/gateway/inbound/{name}", content=body, headers=headers)
    assert first.status_code == 201, first.text
    assert set(first.json()) == {"tracking_code", "status"}
    assert first.json()["status"] == "received"
    again = world.client.post(f"/api/gateway/inbound/{name}", content=body, headers=headers)
    assert again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    other = world.client.post(
        f"/api/gateway/inbound/{name}", content=body, headers=_signed(secret, body)
    )
    assert other.status_code == 201
    assert other.json()["tracking_code"] != first.json()["tracking_code"]
    tracked = world.client.get(f"/api/gateway/submissions/{first.json()['tracking_code']}")
    assert tracked.status_code == 200 and tracked.json()["status"] == "received"


def test_the_message_and_the_sender_are_stored_encrypted(world: GatewayWorld) -> None:
    name, secret = _channel(world)
    body = _body("unique-marker-" + secrets.token_hex(4), "fr")
    answer = world.client.post(
        f"/api/gateway/inbound/{name}", content=body, headers=_signed(secret, body)
    )
    assert answer.status_code == 201
    with world.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT text_enc, sender_enc FROM gateway_submissions")).all()
        secrets_stored = conn.execute(text("SELECT secret_enc FROM gateway_channels")).all()
    dump = json.dumps([list(r) for r in rows])
    assert "unique-marker" not in dump and "+216" not in dump
    assert secret not in json.dumps([list(r) for r in secrets_stored])


def test_missing_wrong_or_stale_signatures_are_refused_without_detail(
    world: GatewayWorld,
) -> None:
    name, secret = _channel(world)
    body = _body()
    good = _signed(secret, body)
    _, other_secret = _channel(world)
    attempts = {
        "unsigned": {"content-type": "application/json"},
        "no id": {k: v for k, v in good.items() if k != "webhook-id"},
        "no timestamp": {k: v for k, v in good.items() if k != "webhook-timestamp"},
        "another channel's key": _signed(other_secret, body),
        "body changed": good,  # sent with another body below
        "stale": _signed(secret, body, at=int(time.time()) - 301),
        "from the future": _signed(secret, body, at=int(time.time()) + 360),
        "garbled": {**good, "webhook-signature": "v1,AAAA"},
    }
    refusals = set()
    for what, headers in attempts.items():
        sent = _body("changed") if what == "body changed" else body
        answer = world.client.post(f"/api/gateway/inbound/{name}", content=sent, headers=headers)
        assert answer.status_code == 401, what
        refusals.add(answer.text)
    assert len(refusals) == 1, "every refusal looks the same"
    unknown = world.client.post("/api/gateway/inbound/no-such-channel", content=body, headers=good)
    assert unknown.status_code == 401 and unknown.text in refusals
    # inside the window, a second signature among several (key rotation) is accepted
    rotated = {**good, "webhook-signature": "v1,AAAA " + good["webhook-signature"]}
    assert (
        world.client.post(f"/api/gateway/inbound/{name}", content=body, headers=rotated).status_code
        == 201
    )


def test_the_public_intake_and_tracking_show_status_and_public_answers_only(
    world: GatewayWorld,
) -> None:
    sent = world.client.post(
        "/api/gateway/submissions",
        json={
            "kind": "complaint",
            "text": "The distribution point asked for money.",
            "language": "en",
            "contact": "person@example.org",
        },
    )
    assert sent.status_code == 201, sent.text
    assert set(sent.json()) == {"tracking_code"}
    code = sent.json()["tracking_code"]
    tracked = world.client.get(f"/api/gateway/submissions/{code}")
    assert tracked.status_code == 200
    assert tracked.json() == {"tracking_code": code, "status": "received", "answers": []}
    # read forgivingly: lower case, spaces instead of dashes
    loose = code.lower().replace("-", " ")
    assert world.client.get(f"/api/gateway/submissions/{loose}").json()["tracking_code"] == code
    assert "person@example.org" not in tracked.text and "money" not in tracked.text


def test_unknown_codes_answer_404_and_guessing_is_throttled(world: GatewayWorld) -> None:
    statuses = [
        world.client.get(f"/api/gateway/submissions/{secrets.token_hex(7).upper()}").status_code
        for _ in range(35)
    ]
    assert statuses[0] == 404
    assert 429 in statuses and statuses.index(429) <= 31
    world.client.app.state.gateway_lookups = None  # type: ignore[attr-defined]


def test_every_kind_is_accepted_and_bad_input_refused(world: GatewayWorld) -> None:
    for kind in ("question", "request", "feedback", "complaint", "tracing"):
        answer = world.client.post(
            "/api/gateway/submissions", json={"kind": kind, "text": "x", "language": "ar"}
        )
        assert answer.status_code == 201, (kind, answer.text)
    for bad in (
        {"kind": "spam", "text": "x", "language": "ar"},
        {"kind": "question", "text": "", "language": "ar"},
        {"kind": "question", "text": "x" * 5001, "language": "ar"},
        {"kind": "question", "text": "x", "language": "ar", "website": "http://spam"},
    ):
        assert world.client.post("/api/gateway/submissions", json=bad).status_code == 422
    world.client.app.state.gateway_submissions = None  # type: ignore[attr-defined]


def test_a_flooding_channel_is_slowed_down(world: GatewayWorld) -> None:
    name, secret = _channel(world)
    world.client.app.state.gateway_channel_messages = LoginRateLimiter(3, 60.0)  # type: ignore[attr-defined]
    try:
        statuses = []
        for _ in range(4):
            body = _body()
            statuses.append(
                world.client.post(
                    f"/api/gateway/inbound/{name}", content=body, headers=_signed(secret, body)
                ).status_code
            )
        assert statuses == [201, 201, 201, 429]
    finally:
        world.client.app.state.gateway_channel_messages = None  # type: ignore[attr-defined]


# The lean intake route (decision 0033) keeps every defence of the full stack.
INTAKE = "/api/gateway/submissions"
GOOD = {"kind": "question", "text": "Where can I register?", "language": "en"}


def _fields(answer: Any) -> list[str]:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    return [f["field"] for f in error["fields"]]


def test_bad_bodies_are_refused_naming_the_field(world: GatewayWorld) -> None:
    post = world.client.post
    assert _fields(post(INTAKE, json={**GOOD, "kind": "spam"})) == ["kind"]
    assert _fields(post(INTAKE, json={**GOOD, "website": "http://spam"})) == ["website"]
    assert _fields(post(INTAKE, json={"kind": "question"})) == ["text", "language"]
    assert _fields(post(INTAKE, content=b'{"kind": "quest', headers=_json())) == ["body"]
    assert _fields(post(INTAKE, content=b"[1, 2]", headers=_json())) == ["body"]
    as_text = post(INTAKE, content=b'{"kind": "question"}', headers={"content-type": "text/plain"})
    assert _fields(as_text) == ["body"]
    world.client.app.state.gateway_submissions = None  # type: ignore[attr-defined]


def test_the_answer_is_the_receipt_with_the_security_headers_and_no_cookie(
    world: GatewayWorld,
) -> None:
    sent = world.client.post(INTAKE, json=GOOD, headers={"content-type": "application/json"})
    assert sent.status_code == 201, sent.text
    assert list(sent.json()) == ["tracking_code"] and len(sent.json()["tracking_code"]) == 17
    assert sent.headers["content-type"] == "application/json"
    assert "default-src 'self'" in sent.headers["content-security-policy"]
    assert sent.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in sent.headers  # an anonymous JSON POST does no cookie work
    tracked = world.client.get(f"/api/gateway/submissions/{sent.json()['tracking_code']}")
    assert tracked.json()["status"] == "received"
    world.client.app.state.gateway_submissions = None  # type: ignore[attr-defined]


def test_the_size_and_address_limits_still_hold(world: GatewayWorld) -> None:
    limit = world.client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    huge = world.client.post(INTAKE, json={**GOOD, "text": "x" * (limit + 1)})
    assert huge.status_code == 413
    world.client.app.state.gateway_submissions = LoginRateLimiter(2, 600.0)  # type: ignore[attr-defined]
    statuses = [world.client.post(INTAKE, json=GOOD).status_code for _ in range(3)]
    assert statuses[:2] == [201, 201]
    assert statuses[2] == 429
    world.client.app.state.gateway_submissions = None  # type: ignore[attr-defined]


def test_a_session_cookie_without_the_csrf_header_is_refused(world: GatewayWorld) -> None:
    forged = world.client.post(INTAKE, json=GOOD, headers={"cookie": "itinera_session=abc"})
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "csrf_failed"


def test_openapi_still_describes_the_body_and_the_receipt(world: GatewayWorld) -> None:
    operation = world.client.get("/openapi.json").json()["paths"][INTAKE]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/SubmissionIn"}
    receipt = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert receipt == {"$ref": "#/components/schemas/ReceiptOut"}
    assert {"422", "429"} <= set(operation["responses"])


def _json() -> dict[str, str]:
    return {"content-type": "application/json"}
