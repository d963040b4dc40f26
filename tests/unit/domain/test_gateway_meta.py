"""Meta's X-Hub-Signature-256 and its GET handshake, checked with the documented examples.

Meta documents the scheme (HMAC-SHA256 of the raw body under the app secret, ``sha256=<hex>``)
and the handshake example ``hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=
meatyhamhock``; it publishes no digest, so the digest vector is GitHub's published one for the
same ``X-Hub-Signature-256`` scheme (secret "It's a Secret to Everybody", body "Hello, World!").
"""

from __future__ import annotations

import json

import pytest

from itinera.domain.gateway_meta import (
    answer_handshake,
    meta_signature,
    read_whatsapp,
    verify_meta,
)
from itinera.domain.gateway_signatures import SignatureError

SECRET = "It's a Secret to Everybody"
BODY = b"Hello, World!"
PUBLISHED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
HANDSHAKE = {
    "hub.mode": "subscribe",
    "hub.challenge": "1158201444",
    "hub.verify_token": "meatyhamhock",
}
WAMID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="
# the shape of Meta's documented "text message" notification (WhatsApp Cloud API)
NOTIFICATION = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [
                            {"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}
                        ],
                        "messages": [
                            {
                                "from": "16505551234",
                                "id": WAMID,
                                "timestamp": "1749416383",
                                "type": "text",
                                "text": {"body": "Does it come in another color?"},
                            }
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}


def test_the_published_digest() -> None:
    assert meta_signature(SECRET, BODY) == PUBLISHED
    verify_meta(SECRET, BODY, {"x-hub-signature-256": PUBLISHED})
    verify_meta(SECRET, BODY, {"x-hub-signature-256": PUBLISHED.upper().replace("SHA", "sha")})


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-hub-signature-256": ""},
        {"x-hub-signature-256": PUBLISHED.removeprefix("sha256=")},
        {"x-hub-signature-256": PUBLISHED[:-1] + "0"},
        {"x-hub-signature-256": "sha1=" + PUBLISHED.removeprefix("sha256=")},
    ],
)
def test_missing_or_wrong_signatures_are_refused(headers: dict[str, str]) -> None:
    with pytest.raises(SignatureError):
        verify_meta(SECRET, BODY, headers)


def test_a_changed_body_is_refused() -> None:
    with pytest.raises(SignatureError):
        verify_meta(SECRET, b"Hello, World?", {"x-hub-signature-256": PUBLISHED})


def test_the_documented_handshake_echoes_the_challenge() -> None:
    assert answer_handshake("meatyhamhock", HANDSHAKE) == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {**HANDSHAKE, "hub.verify_token": "meatyhamhocks"},
        {**HANDSHAKE, "hub.mode": "unsubscribe"},
        {**HANDSHAKE, "hub.challenge": ""},
        {k: v for k, v in HANDSHAKE.items() if k != "hub.verify_token"},
    ],
)
def test_a_wrong_handshake_is_refused(params: dict[str, str]) -> None:
    with pytest.raises(SignatureError):
        answer_handshake("meatyhamhock", params)


def test_an_empty_verify_token_never_matches() -> None:
    with pytest.raises(SignatureError):
        answer_handshake("", {**HANDSHAKE, "hub.verify_token": ""})


def test_the_text_message_is_read_and_statuses_are_not() -> None:
    found = read_whatsapp(json.dumps(NOTIFICATION).encode())
    assert found is not None
    assert found.sender == "16505551234"
    assert found.text == "Does it come in another color?"
    assert found.message_id.startswith("wamid.")
    value = NOTIFICATION["entry"][0]["changes"][0]["value"]  # type: ignore[index]
    statuses = {**value, "messages": [], "statuses": [{"id": "wamid.X", "status": "read"}]}
    only_status = {"entry": [{"changes": [{"value": statuses}]}]}
    assert read_whatsapp(json.dumps(only_status).encode()) is None
    assert read_whatsapp(b"not json") is None
