"""Tracking codes: entropy, sayable symbols, forgiving reading, and the check symbol catching
every single wrong symbol and every swap of neighbours over 100,000 fresh codes."""

from __future__ import annotations

import math

import pytest

from itinera.domain.gateway_codes import (
    ALPHABET,
    PAYLOAD_LENGTH,
    check_symbol,
    display_code,
    is_well_formed,
    new_tracking_code,
    read_tracking_code,
)

SAMPLE = 100_000


def test_codes_carry_at_least_60_bits_and_only_sayable_symbols() -> None:
    # 32 symbols per payload position; 5 of the 37 check values are redrawn
    assert PAYLOAD_LENGTH * math.log2(32) - math.log2(37 / 32) >= 60
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == PAYLOAD_LENGTH + 1
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("*~$=UILO")


def test_every_single_error_and_every_neighbour_swap_is_detected() -> None:
    missed: list[str] = []
    for _ in range(SAMPLE):
        code = new_tracking_code()
        payload, check = code[:-1], code[-1]
        assert is_well_formed(code)
        for position in range(PAYLOAD_LENGTH):
            head, own, tail = payload[:position], payload[position], payload[position + 1 :]
            for symbol in ALPHABET:
                if symbol != own and check_symbol(head + symbol + tail) == check:
                    missed.append(f"{code}: {own}->{symbol} at {position}")
        for position in range(PAYLOAD_LENGTH):  # the last swap moves the check symbol
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            if swapped != code and is_well_formed(swapped):
                missed.append(f"{code}: swap at {position}")
        wrong_check = ALPHABET[(ALPHABET.index(check) + 1) % len(ALPHABET)]
        if is_well_formed(payload + wrong_check):
            missed.append(f"{code}: check symbol")
    assert missed == []


@pytest.mark.parametrize(
    "typed",
    [
        "{dashed}",
        "{lower}",
        "  {spaced}  ",
        "{arabic_digits}",
        "{persian_digits}",
        "{look_alikes}",
    ],
)
def test_codes_are_read_forgivingly(typed: str) -> None:
    code = "7K3MQ9TX2B4R0" + (check_symbol("7K3MQ9TX2B4R0") or "")
    if check_symbol("7K3MQ9TX2B4R0") is None:
        pytest.skip("sample payload has an unsayable check")
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    forms = {
        "dashed": display_code(code),
        "lower": code.lower(),
        "spaced": " ".join(display_code(code).split("-")),
        "arabic_digits": code.translate(arabic),
        "persian_digits": display_code(code).translate(persian),
        "look_alikes": code.replace("0", "o").replace("1", "l"),
    }
    assert read_tracking_code(typed.format(**forms)) == code


def test_what_cannot_be_a_code_reads_as_none() -> None:
    code = new_tracking_code()
    for typed in ("", "hello", code[:-1], code + "0", code[:-1] + "U", "é" * 14):
        assert read_tracking_code(typed) is None
