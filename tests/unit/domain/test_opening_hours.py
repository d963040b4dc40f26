"""Opening hours read as service lists write them: open now, closes at, opens next; public
holidays closed unless a PH rule says otherwise; text not understood gives no claim."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from itinera.domain.opening_hours import opening_state, parse_opening_hours

WEDNESDAY = datetime(2026, 12, 2)


def _at(spec: str, hour: int, minute: int = 0, *, day: int = 0, holiday: bool = False):  # type: ignore[no-untyped-def]
    hours = parse_opening_hours(spec)
    assert hours is not None, spec
    moment = WEDNESDAY.replace(day=WEDNESDAY.day + day, hour=hour, minute=minute)
    return opening_state(hours, moment, holiday)


def test_open_within_the_range_and_closing_time() -> None:
    state = _at("Mo-Fr 09:00-16:00", 9, 30)
    assert state.open_now and state.closes_at == time(16, 0)
    assert not _at("Mo-Fr 09:00-16:00", 16, 0).open_now  # the end is exclusive


def test_closed_says_when_it_opens_next() -> None:
    evening = _at("Mo-Fr 09:00-16:00", 18)
    assert not evening.open_now and (evening.opens_day, evening.opens_at) == (3, time(9, 0))
    friday_night = _at("Mo-Fr 09:00-16:00", 20, day=2)  # Friday → Monday
    assert (friday_night.opens_day, friday_night.opens_at) == (0, time(9, 0))
    lunch = _at("Mo-Fr 08:00-12:00,14:00-17:00", 13)
    assert (lunch.opens_day, lunch.opens_at) == (2, time(14, 0))


def test_later_rules_replace_earlier_ones_and_off() -> None:
    spec = "Mo-Sa 09:00-17:00; We off; Sa 10:00-12:00"
    assert not _at(spec, 10).open_now  # Wednesday off
    assert _at(spec, 11, day=3).open_now  # Saturday 10-12
    assert not _at(spec, 13, day=3).open_now


def test_public_holidays_close_unless_a_ph_rule() -> None:
    assert not _at("Mo-Fr 09:00-16:00", 10, holiday=True).open_now
    assert _at("Mo-Fr 09:00-16:00; PH 10:00-12:00", 11, holiday=True).open_now
    assert _at("24/7", 3, holiday=True).open_now
    assert _at("24/7", 3).closes_at is None  # open past midnight: no closing time


def test_day_ranges_wrap_and_lists() -> None:
    assert _at("Sa-Mo 10:00-14:00", 11, day=4).open_now  # Sunday
    assert not _at("Sa-Mo 10:00-14:00", 11).open_now  # Wednesday
    assert _at("Mo,We,Fr 08:00-09:00", 8, 30).open_now


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "  ",
        "on weekdays",
        "Mo-Fr 9h-16h",
        "Mo-Fr 16:00-09:00",
        "Xx 09:00-10:00",
        "Mo 25:00-26:00",
    ],
)
def test_text_not_understood_makes_no_claim(spec: str) -> None:
    assert parse_opening_hours(spec) is None
