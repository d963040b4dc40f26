"""Outbound replies of the Digital Gateway: one small interface, one adapter per way out.

``ReplyAdapter.send(reply)`` delivers an answer to the person through the channel they wrote
from, or raises :class:`DeliveryError`. :class:`SmtpReplyAdapter` sends e-mail over SMTP
(``smtplib``, with a timeout); :class:`WebhookReplyAdapter` posts the reply as JSON to the
channel adapter's URL, signed with the channel's secret per Standard Webhooks so the adapter
can trust it; :class:`RecordingReplyAdapter` is the fake for tests. Nothing here logs the
person's address or the text.
"""

from __future__ import annotations

import json
import secrets
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

import httpx

from itinera.domain.errors import ItineraError
from itinera.domain.gateway import Channel, ChannelKind, OutboundReply
from itinera.domain.gateway_signatures import sign

__all__ = [
    "DeliveryError",
    "RecordingReplyAdapter",
    "ReplyAdapter",
    "SmtpReplyAdapter",
    "WebhookReplyAdapter",
    "adapter_for",
]

TIMEOUT_SECONDS = 10.0


class DeliveryError(ItineraError):
    """A reply could not be handed to the channel (the answer stays readable by code)."""

    code = "delivery_failed"


class ReplyAdapter(Protocol):
    def send(self, reply: OutboundReply) -> None: ...


@dataclass
class SmtpReplyAdapter:
    host: str
    port: int
    sender: str
    timeout: float = TIMEOUT_SECONDS

    def send(self, reply: OutboundReply) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = reply.to
        message["Subject"] = f"[{reply.tracking_code}]"
        message["Content-Language"] = reply.language
        message.set_content(reply.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError("the e-mail server refused or did not answer") from error


@dataclass
class WebhookReplyAdapter:
    url: str
    secret: str
    client: httpx.Client | None = None
    clock: Callable[[], float] = time.time

    def send(self, reply: OutboundReply) -> None:
        body = json.dumps(
            {
                "to": reply.to,
                "text": reply.body,
                "language": reply.language,
                "tracking_code": reply.tracking_code,
                "template": reply.template,
            },
            ensure_ascii=False,
        ).encode()
        message_id = f"msg_{secrets.token_hex(12)}"
        timestamp = int(self.clock())
        headers = {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(self.secret, message_id, timestamp, body),
        }
        client = self.client or httpx.Client(timeout=TIMEOUT_SECONDS)
        try:
            answer = client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryError("the channel's adapter did not answer") from error
        finally:
            if self.client is None:
                client.close()
        if answer.status_code >= 300:
            raise DeliveryError(f"the channel's adapter answered {answer.status_code}")


@dataclass
class RecordingReplyAdapter:
    """The fake: keeps what it was asked to send."""

    sent: list[OutboundReply] = field(default_factory=list)

    def send(self, reply: OutboundReply) -> None:
        self.sent.append(reply)


def adapter_for(channel: Channel, secret: str) -> ReplyAdapter:
    """The adapter a channel's outbound settings describe."""
    out = channel.outbound
    if channel.kind is ChannelKind.EMAIL:
        if not out.get("host") or not out.get("sender"):
            raise DeliveryError("this e-mail channel has no SMTP server set")
        return SmtpReplyAdapter(str(out["host"]), int(out.get("port", 25)), str(out["sender"]))
    if not out.get("url"):
        raise DeliveryError("this channel has no reply URL set")
    return WebhookReplyAdapter(str(out["url"]), secret)
