"""Reading a channel's request: one verifier per way of signing, all behind one interface.

A verifier takes the channel, its secret and the raw request, and returns the message (its id,
sender, text, language) or raises the same :class:`SignatureError` without detail. Standard
Webhooks (JSON ``{"from", "text", "language"}``) serves webhook and e-mail bridges; Twilio
(form fields ``MessageSid``, ``From``, ``Body``) serves SMS and WhatsApp through Twilio; Meta
(``X-Hub-Signature-256`` over the Cloud API's JSON) serves WhatsApp Business directly. The
signature is checked before the body is parsed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from itinera.domain.errors import ValidationError
from itinera.domain.gateway import Channel, ChannelKind
from itinera.domain.gateway_meta import read_whatsapp, verify_meta
from itinera.domain.gateway_signatures import SignatureError, verify_signature
from itinera.domain.gateway_twilio import verify_twilio

__all__ = ["InboundRequest", "NoMessage", "ReceivedMessage", "read_message"]

_MAX_LANGUAGE = 16
_MAX_SENDER = 200


@dataclass(frozen=True)
class InboundRequest:
    url: str  # as the provider called it (Twilio signs it)
    headers: Mapping[str, str]  # lower-case names
    body: bytes


class NoMessage(Exception):
    """A signed notification that holds no message (a delivery or read status): acknowledged,
    nothing stored."""


@dataclass(frozen=True)
class ReceivedMessage:
    message_id: str
    sender: str | None
    text: str
    language: str


def _string(data: Mapping[str, object], name: str, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValidationError.single(name, "a string")
    return value


def _language(value: str | None) -> str:
    if value and len(value) > _MAX_LANGUAGE:
        raise ValidationError.single("language", "a language code such as ar or fr")
    return value or "und"


def _standard_webhook(channel: Channel, secret: str, request: InboundRequest) -> ReceivedMessage:
    message_id = verify_signature(secret, request.headers, request.body, time.time())
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError.single("body", "a JSON object") from error
    if not isinstance(data, dict):
        raise ValidationError.single("body", "a JSON object")
    sender = _string(data, "from")
    return ReceivedMessage(
        message_id,
        sender[:_MAX_SENDER] if sender else None,
        _string(data, "text", required=True) or "",
        _language(_string(data, "language")),
    )


def _twilio(channel: Channel, secret: str, request: InboundRequest) -> ReceivedMessage:
    params = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    # behind a proxy the URL Twilio called is the channel's public one
    url = str(channel.outbound.get("public_url") or request.url)
    verify_twilio(secret, url, params, request.headers)
    fields = dict(params)
    message_id = fields.get("MessageSid") or fields.get("SmsSid") or ""
    if not message_id or len(message_id) > _MAX_SENDER:
        raise SignatureError()
    sender = fields.get("From")
    return ReceivedMessage(
        message_id,
        sender[:_MAX_SENDER] if sender else None,
        fields.get("Body", ""),
        _language(str(channel.outbound.get("language") or "")),
    )


def _meta(channel: Channel, secret: str, request: InboundRequest) -> ReceivedMessage:
    verify_meta(secret, request.body, request.headers)
    found = read_whatsapp(request.body)
    if found is None:
        raise NoMessage()
    if len(found.message_id) > _MAX_SENDER:
        raise SignatureError()
    return ReceivedMessage(
        found.message_id,
        found.sender[:_MAX_SENDER] if found.sender else None,
        found.text,
        _language(str(channel.outbound.get("language") or "")),
    )


Verifier = Callable[[Channel, str, InboundRequest], ReceivedMessage]
_VERIFIERS: dict[ChannelKind, Verifier] = {
    ChannelKind.WEBHOOK: _standard_webhook,
    ChannelKind.EMAIL: _standard_webhook,
    ChannelKind.TWILIO: _twilio,
    ChannelKind.META: _meta,
}


def read_message(channel: Channel, secret: str, request: InboundRequest) -> ReceivedMessage:
    return _VERIFIERS[channel.kind](channel, secret, request)
