"""Standard Webhooks signatures: the specification's published example, the window, refusals."""

from __future__ import annotations

import base64

import pytest

from itinera.domain.gateway_signatures import (
    SignatureError,
    new_channel_secret,
    secret_key,
    sign,
    verify_signature,
)

# The example of the Standard Webhooks specification (and Svix's documentation).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def _headers(signature: str = SPEC_SIGNATURE, timestamp: int = SPEC_TIMESTAMP) -> dict[str, str]:
    return {
        "webhook-id": SPEC_ID,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def test_the_specification_example_signs_and_verifies() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    assert verify_signature(SPEC_SECRET, _headers(), SPEC_BODY, SPEC_TIMESTAMP + 10) == SPEC_ID


@pytest.mark.parametrize("offset", [-301, 301, 10**9])
def test_a_timestamp_outside_five_minutes_is_refused(offset: int) -> None:
    with pytest.raises(SignatureError):
        verify_signature(SPEC_SECRET, _headers(), SPEC_BODY, SPEC_TIMESTAMP + offset)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        _headers(signature=""),
        _headers(signature="v1," + base64.b64encode(b"x" * 32).decode()),
        _headers(signature=SPEC_SIGNATURE.replace("v1,", "v2,")),
        {**_headers(), "webhook-timestamp": "１６１４２６５３３０"},  # full-width digits
        {**_headers(), "webhook-id": "x" * 201},
    ],
)
def test_wrong_or_missing_signatures_are_refused_alike(headers: dict[str, str]) -> None:
    with pytest.raises(SignatureError) as refused:
        verify_signature(SPEC_SECRET, headers, SPEC_BODY, SPEC_TIMESTAMP)
    assert str(refused.value) == "the request could not be authenticated"


def test_a_changed_body_is_refused_and_rotation_signatures_are_accepted() -> None:
    with pytest.raises(SignatureError):
        verify_signature(SPEC_SECRET, _headers(), SPEC_BODY + b" ", SPEC_TIMESTAMP)
    both = _headers(signature="v1,bm90IGl0 " + SPEC_SIGNATURE)
    assert verify_signature(SPEC_SECRET, both, SPEC_BODY, SPEC_TIMESTAMP) == SPEC_ID


def test_new_secrets_carry_a_256_bit_key() -> None:
    secret = new_channel_secret()
    assert secret.startswith("whsec_") and len(secret_key(secret)) == 32
    assert new_channel_secret() != secret
