"""Tracking codes of gateway submissions: short to read over a phone, hard to guess.

A code is 13 symbols of Crockford's base 32 (65 random bits) followed by a check symbol: the
payload's value modulo 37 (Crockford's check). 37 is prime and larger than the alphabet, so a
single wrong symbol or a swap of two different neighbours always changes the check. Crockford
writes the check values 32-36 as ``* ~ $ = U``, which are hard to say on a phone line, so a code
whose check would be one of them is drawn again: every symbol of every code is a letter or a
digit, and about 64.8 bits of entropy remain.

Codes are shown in groups of four (``7K3M-Q9TX-2B4R-5Z``) and read forgivingly: any case,
``I``/``L`` as 1, ``O`` as 0, Arabic-Indic and other decimal digits, spaces and dashes ignored.
"""

from __future__ import annotations

import secrets
import unicodedata

__all__ = [
    "ALPHABET",
    "PAYLOAD_LENGTH",
    "check_symbol",
    "display_code",
    "is_well_formed",
    "new_tracking_code",
    "read_tracking_code",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PAYLOAD_LENGTH = 13
_CHECK_MODULUS = 37
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Crockford's symbols translated to the digits Python's int(..., 32) reads (0-9, A-V).
_TO_BASE32 = str.maketrans(ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTUV")
_LOOK_ALIKES = {"I": "1", "L": "1", "O": "0"}
_SEPARATORS = frozenset(" -_.\u00a0\u2009\u202f\u2010\u2011\u2012\u2013\u2014\u2212")


def check_symbol(payload: str) -> str | None:
    """The check symbol of a canonical payload, or None when it would be hard to say."""
    value = int(payload.translate(_TO_BASE32), 32) % _CHECK_MODULUS
    return ALPHABET[value] if value < len(ALPHABET) else None


def new_tracking_code() -> str:
    """A fresh canonical code (payload + check), drawn again until the check is sayable."""
    while True:
        # one draw of 65 bits, five per symbol (a call per symbol cost 0.25 ms per code)
        bits = secrets.randbits(5 * PAYLOAD_LENGTH)
        payload = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(PAYLOAD_LENGTH))
        check = check_symbol(payload)
        if check is not None:
            return payload + check


def is_well_formed(code: str) -> bool:
    """True when a canonical code has the right length, symbols and check symbol."""
    if len(code) != PAYLOAD_LENGTH + 1 or any(symbol not in _VALUE for symbol in code):
        return False
    return check_symbol(code[:-1]) == code[-1]


def read_tracking_code(typed: str) -> str | None:
    """The canonical code a person typed or said, or None when it cannot be one."""
    symbols: list[str] = []
    for char in typed.strip()[:64]:
        if char in _SEPARATORS:
            continue
        if char.isdecimal():
            char = str(unicodedata.decimal(char))
        char = char.upper()
        symbols.append(_LOOK_ALIKES.get(char, char))
    code = "".join(symbols)
    return code if is_well_formed(code) else None


def display_code(code: str) -> str:
    """``7K3MQ9TX2B4R5Z`` -> ``7K3M-Q9TX-2B4R-5Z``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
