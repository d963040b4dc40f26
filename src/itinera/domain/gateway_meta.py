"""Meta's own request signature, ``X-Hub-Signature-256``, for WhatsApp Business (Cloud API).

Meta signs the raw request body with HMAC-SHA256 under the app secret and sends
``sha256=<hex digest>``. Before it posts anything, it checks the endpoint with a GET
handshake: ``hub.mode=subscribe``, ``hub.verify_token`` (the token the operator typed in Meta's
console) and ``hub.challenge``, which the endpoint echoes back only when the token is ours. Like
Twilio, the post carries no timestamp: replays are stopped by storing each message id once.
Refusals are the same :class:`SignatureError` as Standard Webhooks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass

from itinera.domain.gateway_signatures import SignatureError

__all__ = ["MetaMessage", "answer_handshake", "meta_signature", "read_whatsapp", "verify_meta"]

_PREFIX = "sha256="
_MAX_CHALLENGE = 200


def meta_signature(app_secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body`` (tests and adapters use it)."""
    return _PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_meta(app_secret: str, body: bytes, headers: Mapping[str, str]) -> None:
    """Raise :class:`SignatureError` unless ``X-Hub-Signature-256`` signs ``body``."""
    sent = headers.get("x-hub-signature-256", "")
    expected = meta_signature(app_secret, body)
    if not sent.startswith(_PREFIX) or not hmac.compare_digest(
        sent.lower().encode(), expected.encode()
    ):
        raise SignatureError()


def answer_handshake(verify_token: str, params: Mapping[str, str]) -> str:
    """The challenge to echo when Meta's GET handshake names our verify token."""
    challenge = params.get("hub.challenge", "")
    token = params.get("hub.verify_token", "")
    if (
        params.get("hub.mode") != "subscribe"
        or not verify_token
        or not challenge
        or len(challenge) > _MAX_CHALLENGE
        or not hmac.compare_digest(token.encode(), verify_token.encode())
    ):
        raise SignatureError()
    return challenge


@dataclass(frozen=True)
class MetaMessage:
    message_id: str
    sender: str | None
    text: str


def read_whatsapp(body: bytes) -> MetaMessage | None:
    """The first text message of a WhatsApp Cloud API notification, or None when it holds
    none (delivery and read statuses arrive on the same webhook and are only acknowledged)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    for entry in _dicts(data.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            messages = value.get("messages") if isinstance(value, dict) else None
            for message in _dicts(messages):
                text = message.get("text")
                body_text = text.get("body") if isinstance(text, dict) else None
                message_id = message.get("id")
                if isinstance(body_text, str) and isinstance(message_id, str) and message_id:
                    sender = message.get("from")
                    return MetaMessage(
                        message_id, sender if isinstance(sender, str) else None, body_text
                    )
    return None


def _dicts(value: object) -> list[dict[str, object]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
