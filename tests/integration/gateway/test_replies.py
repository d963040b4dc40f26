"""Answers go back through the channel the person wrote from: e-mail over SMTP (a local
aiosmtpd server started here), a generic signed HTTP webhook, and a WhatsApp-style reply window
past which only an approved template may be sent."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from tests.integration.gateway.conftest import GatewayWorld
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import Actor, Role
from itinera.domain.gateway import Channel
from itinera.engines.gateway_outbound import ReplyAdapter, WebhookReplyAdapter, adapter_for
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway

cli = build_cli()
AGENT = Actor("agent-fr", frozenset({Role.GATEWAY_AGENT}), user_id=7, organisation_id=1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, _Inbox]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def _add_channel(world: GatewayWorld, *options: str) -> tuple[str, str]:
    name = f"ch-{secrets.token_hex(4)}"
    result = CliRunner().invoke(cli, ["gateway", "channels", "add", name, *options], env=world.env)
    assert result.exit_code == 0, result.output
    return name, result.output.split()[-1]


def _post(world: GatewayWorld, name: str, secret: str, sender: str, text: str) -> str:
    body = json.dumps({"from": sender, "text": text, "language": "ar"}).encode()
    msg_id, timestamp = f"msg_{secrets.token_hex(6)}", str(int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    answer = world.client.post(
        f"/api/gateway/inbound/{name}",
        content=body,
        headers={
            "webhook-id": msg_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": "v1," + base64.b64encode(digest).decode(),
        },
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["tracking_code"])


def _gateway(world: GatewayWorld, **changes: Any) -> Gateway:
    world.client.get("/api/gateway/submissions/0")  # builds the app's Gateway
    world.client.app.state.gateway_lookups = None  # type: ignore[attr-defined]
    gateway: Gateway = world.client.app.state.gateway  # type: ignore[attr-defined]
    return dataclasses.replace(gateway, **changes)


def test_an_answer_to_an_email_goes_back_over_smtp(
    world: GatewayWorld, smtp_server: tuple[int, _Inbox]
) -> None:
    port, inbox = smtp_server
    name, secret = _add_channel(
        world,
        "--kind",
        "email",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        str(port),
        "--sender",
        "help@itinera.example",
    )
    code = _post(world, name, secret, "amina@example.org", "هل يمكنني التسجيل هنا؟")
    answered = queue_service.answer(
        _gateway(world), AGENT, code, "Oui, au bureau du port, de 9 h à 16 h.", "fr"
    )
    assert answered.answers[-1].delivery == "sent"
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "amina@example.org" and mail["From"] == "help@itinera.example"
    assert code in mail["Subject"]
    assert "au bureau du port" in mail.get_payload(decode=True).decode()


def test_a_signed_sms_gets_its_answer_through_the_webhook_adapter(world: GatewayWorld) -> None:
    name, secret = _add_channel(
        world, "--kind", "webhook", "--reply-url", "http://sms-gateway.test/replies"
    )
    received: list[httpx.Request] = []

    def adapter_endpoint(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(202)

    client = httpx.Client(transport=httpx.MockTransport(adapter_endpoint))

    def adapters(channel: Channel, key: str) -> ReplyAdapter:
        found = adapter_for(channel, key)
        assert isinstance(found, WebhookReplyAdapter)
        return dataclasses.replace(found, client=client)

    code = _post(world, name, secret, "+216 20 000 001", "أين أجد محامياً؟")
    answered = queue_service.answer(
        _gateway(world, adapters=adapters), AGENT, code, "Maison du droit, rue 12.", "fr"
    )
    assert answered.answers[-1].delivery == "sent"
    assert len(received) == 1 and str(received[0].url) == "http://sms-gateway.test/replies"
    request = received[0]
    sent = json.loads(request.content)
    assert sent["to"] == "+216 20 000 001" and sent["text"] == "Maison du droit, rue 12."
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode()
    digest = hmac.new(key, signed + request.content, hashlib.sha256).digest()
    assert request.headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()
    assert world.client.get(f"/api/gateway/submissions/{code}").json()["status"] == "answered"


def test_past_the_reply_window_only_a_template_is_sent(world: GatewayWorld) -> None:
    name, secret = _add_channel(
        world,
        "--kind",
        "webhook",
        "--reply-url",
        "http://whatsapp-bridge.test/replies",
        "--reply-window-hours",
        "24",
    )
    sent: list[bytes] = []
    client = httpx.Client(
        transport=httpx.MockTransport(lambda r: (sent.append(r.content), httpx.Response(200))[1])
    )

    def adapters(channel: Channel, key: str) -> ReplyAdapter:
        return dataclasses.replace(adapter_for(channel, key), client=client)  # type: ignore[type-var]

    code = _post(world, name, secret, "+249 900 000 000", "سؤال")
    base = _gateway(world, adapters=adapters)
    later: Callable[[], Any] = lambda: base.now() + timedelta(hours=25)  # noqa: E731
    gateway = dataclasses.replace(base, now=later)
    free_text = queue_service.answer(gateway, AGENT, code, "Réponse libre", "fr")
    assert free_text.answers[-1].delivery == "window_closed" and sent == []
    template = queue_service.answer(
        gateway, AGENT, code, "Nous avons une réponse : écrivez-nous.", "fr", template=True
    )
    assert template.answers[-1].delivery == "sent" and len(sent) == 1
    assert json.loads(sent[0])["template"] is True
    within = queue_service.answer(base, AGENT, code, "Dans la fenêtre", "fr")
    assert within.answers[-1].delivery == "sent"


def test_a_failing_adapter_leaves_the_answer_readable_by_code(world: GatewayWorld) -> None:
    name, secret = _add_channel(world, "--kind", "webhook", "--reply-url", "http://down.test/")
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))

    def adapters(channel: Channel, key: str) -> ReplyAdapter:
        return dataclasses.replace(adapter_for(channel, key), client=client)  # type: ignore[type-var]

    code = _post(world, name, secret, "+33 6 00 00 00 00", "question")
    answered = queue_service.answer(_gateway(world, adapters=adapters), AGENT, code, "Oui.", "fr")
    assert answered.answers[-1].delivery == "failed"
    tracked = world.client.get(f"/api/gateway/submissions/{code}").json()
    assert [a["body"] for a in tracked["answers"]] == ["Oui."]


def test_a_twilio_sms_is_verified_with_twilios_own_signature(world: GatewayWorld) -> None:
    name = f"twilio-{secrets.token_hex(4)}"
    token = secrets.token_hex(16)
    added = CliRunner().invoke(
        cli,
        ["gateway", "channels", "add", name, "--kind", "twilio", "--auth-token-stdin"],
        input=token + "\n",
        env=world.env,
    )
    assert added.exit_code == 0, added.output
    assert token not in added.output and "whsec_" not in added.output
    url = f"http://testserver/api/gateway/inbound/{name}"
    form = {"MessageSid": f"SM{secrets.token_hex(16)}", "From": "+21620000002", "Body": "سؤال"}
    signed = url + "".join(k + form[k] for k in sorted(form))
    signature = base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()
    first = world.client.post(url, data=form, headers={"X-Twilio-Signature": signature})
    assert first.status_code == 201, first.text
    again = world.client.post(url, data=form, headers={"X-Twilio-Signature": signature})
    assert again.status_code == 200 and again.json() == first.json()
    forged = world.client.post(
        url, data={**form, "Body": "changed"}, headers={"X-Twilio-Signature": signature}
    )
    assert forged.status_code == 401


def test_a_whatsapp_message_is_verified_with_metas_signature_and_handshake(
    world: GatewayWorld,
) -> None:
    name = f"meta-{secrets.token_hex(4)}"
    app_secret = secrets.token_hex(16)
    added = CliRunner().invoke(
        cli,
        ["gateway", "channels", "add", name, "--kind", "meta", "--auth-token-stdin"],
        input=app_secret + "\n",
        env=world.env,
    )
    assert added.exit_code == 0, added.output
    assert app_secret not in added.output
    verify_token = added.output.strip().rsplit(" ", 1)[-1]
    url = f"/api/gateway/inbound/{name}"
    hub = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": verify_token}
    shaken = world.client.get(url, params=hub)
    assert shaken.status_code == 200 and shaken.text == "1158201444"
    assert world.client.get(url, params={**hub, "hub.verify_token": "x"}).status_code == 403
    assert world.client.get("/api/gateway/inbound/nowhere", params=hub).status_code == 403
    message = {
        "from": "21620000003",
        "id": f"wamid.{secrets.token_hex(8)}",
        "text": {"body": "سؤال"},
    }
    body = json.dumps({"entry": [{"changes": [{"value": {"messages": [message]}}]}]}).encode()
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}
    first = world.client.post(url, content=body, headers=headers)
    assert first.status_code == 201, first.text
    again = world.client.post(url, content=body, headers=headers)
    assert again.status_code == 200 and again.json() == first.json()
    forged = world.client.post(url, content=body + b" ", headers=headers)
    assert forged.status_code == 401
    status = json.dumps({"entry": [{"changes": [{"value": {"statuses": [{"id": "x"}]}}]}]})
    signed = hmac.new(app_secret.encode(), status.encode(), hashlib.sha256).hexdigest()
    acknowledged = world.client.post(
        url, content=status, headers={"X-Hub-Signature-256": f"sha256={signed}"}
    )
    assert acknowledged.status_code == 200 and acknowledged.json() == {"status": "ignored"}
