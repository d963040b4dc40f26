"""Twilio's own request signature, ``X-Twilio-Signature``, for SMS and WhatsApp via Twilio.

Twilio signs the full URL it called, followed by every POST parameter sorted by name, each name
immediately followed by its value (a repeated name contributes each distinct value, sorted),
with HMAC-SHA1 under the account's auth token, base64-encoded. Twilio's request carries no
timestamp, so replays are stopped by the message id (``MessageSid``) instead: the gateway
stores each message once. Refusals are the same :class:`SignatureError` as Standard Webhooks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence

from itinera.domain.gateway_signatures import SignatureError

__all__ = ["twilio_signature", "verify_twilio"]


def twilio_signature(token: str, url: str, params: Sequence[tuple[str, str]]) -> str:
    grouped: dict[str, set[str]] = {}
    for name, value in params:
        grouped.setdefault(name, set()).add(value)
    signed = url + "".join(
        name + value for name in sorted(grouped) for value in sorted(grouped[name])
    )
    digest = hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_twilio(
    token: str, url: str, params: Sequence[tuple[str, str]], headers: Mapping[str, str]
) -> None:
    """Raise :class:`SignatureError` unless ``X-Twilio-Signature`` signs this request."""
    sent = headers.get("x-twilio-signature", "")
    expected = twilio_signature(token, url, params)
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise SignatureError()
