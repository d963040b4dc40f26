"""Cell parsers: property-based round trips plus the publishers' real quirks."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itinera.importers.parsing import (
    clean_text,
    parse_coordinates,
    parse_count,
    parse_date,
    parse_month,
    parse_number,
    split_multi,
)

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_with_thousands_separators_read_back(number: int) -> None:
    assert parse_number(f"{number:,}") == number
    assert parse_number(f"{number:,}".replace(",", " ")) == number
    assert parse_number(str(number)) == number


@given(st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_floats_read_back(number: float) -> None:
    assert parse_number(repr(number)) == pytest.approx(number)
    assert parse_number(number) == number


@given(st.integers(min_value=0, max_value=10**9))
def test_counts_accept_whole_floats_as_written_by_excel(number: int) -> None:
    assert parse_count(f"{number}.0") == number
    assert parse_count(float(number)) == number


@pytest.mark.parametrize("blank", ["", "  ", "NA", "N/A", "n/a", "Not available", None])
def test_blank_and_sentinels_are_unknown_not_zero(blank: str | None) -> None:
    assert parse_number(blank) is None
    assert parse_count(blank) is None
    assert parse_count("0") == 0


@pytest.mark.parametrize("garbage", ["abc", "12abc", "1,2,3", "1..2", "--1", "True"])
def test_garbage_numbers_raise_naming_the_text(garbage: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(garbage)


@given(st.integers(min_value=1, max_value=10**6))
def test_negative_counts_raise(number: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_count(str(-number))


def test_fractional_counts_raise() -> None:
    with pytest.raises(ValueError, match="whole"):
        parse_count("2.5")


@given(days)
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.isoformat()}T00:00:00") == day
    assert parse_date(datetime(day.year, day.month, day.day, 12)) == day


@given(days)
def test_long_dates_round_trip(day: date) -> None:
    assert parse_date(f"{MONTH_NAMES[day.month - 1]} {day.day:02d}, {day.year}") == day
    assert parse_date(f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}") == day


@given(days)
def test_day_first_slashed_dates_round_trip(day: date) -> None:
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day


@given(days)
def test_weekday_us_dates_round_trip(day: date) -> None:
    text = f"{WEEKDAYS[day.weekday()]}, {day.month:02d}/{day.day:02d}/{day.year} - 12:00"
    assert parse_date(text) == day


def test_real_date_quirks() -> None:
    assert parse_date("Thu, 01/01/2026 - 12:00") == date(2026, 1, 1)
    assert parse_date("Mon, 05/04/2026 - 12:00") == date(2026, 5, 4)
    assert parse_date("05/11/2015") == date(2015, 11, 5)  # HDX copy: day first
    assert parse_date("January 05, 2020") == date(2020, 1, 5)
    assert parse_date("1 March 2015") == date(2015, 3, 1)
    assert parse_date(43831) == date(2020, 1, 1)  # Excel serial


@pytest.mark.parametrize(
    "bad", ["0", "", "2023-02-30", "yesterday", "13/13/2020", "Smarch 3, 2020"]
)
def test_bad_dates_raise_naming_the_text(bad: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(bad)


def test_weekday_that_matches_no_reading_raises() -> None:
    with pytest.raises(ValueError, match="weekday"):
        parse_date("Mon, 01/01/2026 - 12:00")


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=1, max_value=12))
def test_months_in_every_spelling(year: int, month: int) -> None:
    name = MONTH_NAMES[month - 1]
    for text in (
        f"{year}-{month:02d}",
        f"{name[:3]}-{year}",
        f"{name[:3].upper()}{year}",
        f"{name} {year}",
        f"{month:02d}/{year}",
    ):
        assert parse_month(text) == (year, month)


def test_french_month_names_and_bad_months() -> None:
    assert parse_month("Septembre 2012") == (2012, 9)
    with pytest.raises(ValueError, match="not a month"):
        parse_month("Smarch 2012")


lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)


@given(lats, lons)
def test_coordinates_round_trip(lat: float, lon: float) -> None:
    if lat == lon:
        with pytest.raises(ValueError, match="garbage"):
            parse_coordinates(f"{lat!r}, {lon!r}")
    else:
        assert parse_coordinates(f"{lat!r}, {lon!r}") == (lat, lon)


@given(st.floats(min_value=90.0001, max_value=1e6), lons)
def test_out_of_range_latitudes_raise(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_coordinates(f"{lat}, {lon}")


def test_coordinate_quirks() -> None:
    assert parse_coordinates("") is None
    assert parse_coordinates("59.1551, 28") == (59.1551, 28.0)
    with pytest.raises(ValueError, match="pair"):
        parse_coordinates("35.2")
    with pytest.raises(ValueError, match="numbers"):
        parse_coordinates("north, south")


item = st.text(alphabet=st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=12)


@given(st.lists(item, min_size=1, max_size=6))
def test_split_multi_round_trips_items_joined_without_space(items: list[str]) -> None:
    assert split_multi(",".join(items)) == tuple(items)


def test_names_containing_comma_space_stay_whole() -> None:
    harsh = "Harsh environmental conditions / lack of adequate shelter, food, water"
    assert split_multi(f"{harsh},Drowning") == (harsh, "Drowning")
    assert split_multi("Pakistan,Unknown") == ("Pakistan", "Unknown")
    assert split_multi("  ") == ()


def test_vocabulary_splits_known_names_joined_with_comma_space() -> None:
    harsh = "Harsh environmental conditions / lack of adequate shelter, food, water"
    vocabulary = ["Drowning", "Violence", harsh]
    assert split_multi("Drowning, Violence", vocabulary) == ("Drowning", "Violence")
    assert split_multi(vocabulary[2], vocabulary) == (vocabulary[2],)


def test_clean_text_collapses_spaces() -> None:
    assert clean_text("  Middle East\u00a0 ") == "Middle East"
    assert clean_text("   ") is None
