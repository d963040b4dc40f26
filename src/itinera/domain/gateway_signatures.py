"""Checking that a message posted to the gateway comes from its channel (Standard Webhooks).

A channel adapter signs each request with the channel's secret, ``whsec_<base64 key>``: the
header ``webhook-signature`` holds ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` (several
space-separated signatures are allowed while a secret is rotated), ``webhook-id`` the message
id and ``webhook-timestamp`` the Unix time in seconds. A timestamp more than five minutes away
from ours is refused, so a captured request cannot be replayed later; signatures are compared in
constant time. Every refusal is the same :class:`SignatureError` without detail, so a caller
learns nothing about which part was wrong.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping

from itinera.domain.access import AuthenticationError

__all__ = [
    "SECRET_PREFIX",
    "TOLERANCE_SECONDS",
    "SignatureError",
    "new_channel_secret",
    "secret_key",
    "sign",
    "verify_signature",
]

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60
_KEY_BYTES = 32
_MAX_ID_LENGTH = 200


class SignatureError(AuthenticationError):
    """A gateway message whose signature is missing, wrong or stale (answered 401)."""

    code = "authentication_failed"

    def __init__(self) -> None:
        super().__init__("the request could not be authenticated")


def new_channel_secret() -> str:
    """A fresh ``whsec_`` secret with a 256-bit key."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_KEY_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret (the base64-decoded part after the prefix)."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("not a whsec_ secret") from error


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for one message (adapters and tests use it)."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def verify_signature(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> str:
    """The message id when ``headers`` sign ``body`` with ``secret`` within the window.

    ``headers`` must be case-insensitive (Starlette's are) or use lower-case names.
    """
    message_id = headers.get("webhook-id", "")
    timestamp_text = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not message_id or len(message_id) > _MAX_ID_LENGTH or not signatures:
        raise SignatureError()
    if not timestamp_text.isascii() or not timestamp_text.isdigit():
        raise SignatureError()
    timestamp = int(timestamp_text)
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError()
    expected = sign(secret, message_id, timestamp, body).encode()
    accepted = False
    for candidate in signatures.split(" "):
        # every candidate is compared, so the time taken does not depend on which one matched
        accepted |= hmac.compare_digest(candidate.encode(), expected)
    if not accepted:
        raise SignatureError()
    return message_id
