"""Twilio's X-Twilio-Signature, checked against the vectors Twilio publishes (its docs' worked
example and the test suites of its official libraries)."""

from __future__ import annotations

import pytest

from itinera.domain.gateway_signatures import SignatureError
from itinera.domain.gateway_twilio import twilio_signature, verify_twilio

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+14158675309"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
]
DOCUMENTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_the_documented_example() -> None:
    assert twilio_signature(TOKEN, URL, PARAMS) == DOCUMENTED
    assert twilio_signature(TOKEN, URL, list(reversed(PARAMS))) == DOCUMENTED
    verify_twilio(TOKEN, URL, PARAMS, {"x-twilio-signature": DOCUMENTED})


def test_the_libraries_vector_with_repeated_parameters() -> None:
    repeated = [
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ]
    assert twilio_signature(TOKEN, URL, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


@pytest.mark.parametrize(
    ("url", "params", "headers"),
    [
        (URL, PARAMS, {}),
        (URL, PARAMS, {"x-twilio-signature": "FAIL"}),
        (URL + "&extra=1", PARAMS, {"x-twilio-signature": DOCUMENTED}),
        (URL, [*PARAMS[:2], ("Digits", "9999"), *PARAMS[3:]], {"x-twilio-signature": DOCUMENTED}),
        (URL, PARAMS, {"x-twilio-signature": "invalid 王"}),
    ],
)
def test_anything_else_is_refused(
    url: str, params: list[tuple[str, str]], headers: dict[str, str]
) -> None:
    with pytest.raises(SignatureError):
        verify_twilio(TOKEN, url, params, headers)
