"""Monthly series operations, against figures worked out by hand."""

from __future__ import annotations

import pytest

from itinera.domain.analytics.series import (
    Change,
    Month,
    change,
    month_on_month,
    months_between,
    roll_up,
    rolling_12,
    top_n,
    year_on_year,
)


def m(code: str) -> Month:
    return Month.parse(code)


def test_months_parse_shift_and_span_years() -> None:
    assert m("2024-11").shift(3) == m("2025-02")
    assert m("2024-01").shift(-1) == m("2023-12")
    assert [x.code for x in months_between(m("2023-11"), m("2024-02"))] == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
    ]
    assert months_between(m("2024-02"), m("2024-01")) == []
    with pytest.raises(ValueError, match="2024-13"):
        Month.parse("2024-13")


def test_roll_up_to_quarters_marks_incomplete_quarters() -> None:
    series = {m("2024-01"): 10.0, m("2024-02"): 20.0, m("2024-03"): 5.0, m("2024-05"): 7.0}
    rolled = roll_up(series, months_between(m("2024-01"), m("2024-07")), "quarter")
    assert [(r.period, r.value, r.months_present, r.months_expected) for r in rolled] == [
        ("2024-Q1", 35.0, 3, 3),
        ("2024-Q2", 7.0, 1, 3),
        ("2024-Q3", None, 0, 1),
    ]
    assert rolled[0].complete and not rolled[1].complete


def test_roll_up_to_years() -> None:
    series = {m("2023-12"): 4.0, m("2024-01"): 6.0}
    rolled = roll_up(series, months_between(m("2023-12"), m("2024-01")), "year")
    assert [(r.period, r.value) for r in rolled] == [("2023", 4.0), ("2024", 6.0)]
    with pytest.raises(ValueError, match="week"):
        roll_up(series, [], "week")


def test_changes_are_undefined_where_the_base_is_zero_or_missing() -> None:
    assert change(150, 100) == Change(50, 0.5)
    assert change(5, 0) == Change(5, None)
    assert change(5, None) == Change(None, None)
    assert change(None, 3) == Change(None, None)
    series = {m("2024-01"): 0.0, m("2024-02"): 40.0, m("2024-03"): 30.0, m("2023-03"): 60.0}
    mom = month_on_month(series, months_between(m("2024-01"), m("2024-03")))
    assert mom[m("2024-01")] == Change(None, None)  # December missing
    assert mom[m("2024-02")] == Change(40.0, None)  # base 0
    assert mom[m("2024-03")] == Change(-10.0, -0.25)
    yoy = year_on_year(series, [m("2024-03"), m("2024-02")])
    assert yoy[m("2024-03")] == Change(-30.0, -0.5)
    assert yoy[m("2024-02")] == Change(None, None)


def test_rolling_totals_need_all_twelve_months() -> None:
    series = {Month(2023, k): float(k) for k in range(1, 13)}  # 1 + 2 + ... + 12 = 78
    series[Month(2024, 1)] = 100.0
    rolling = rolling_12(series, [Month(2023, 12), Month(2024, 1), Month(2024, 2), Month(2023, 11)])
    assert rolling[Month(2023, 12)] == 78.0
    assert rolling[Month(2024, 1)] == 78.0 - 1 + 100  # January 2023 leaves the window
    assert rolling[Month(2024, 2)] is None  # February 2024 missing
    assert rolling[Month(2023, 11)] is None  # December 2022 missing


def test_top_n_groups_the_rest_as_other() -> None:
    breakdown = {"NGA": 17.0, "MLI": 10.0, "ERI": 10.0, "CIV": 7.0, "GIN": 3.0}
    assert top_n(breakdown, 3) == [("NGA", 17.0), ("ERI", 10.0), ("MLI", 10.0), ("other", 10.0)]
    assert top_n(breakdown, 5) == sorted(breakdown.items(), key=lambda kv: (-kv[1], kv[0]))
    with pytest.raises(ValueError):
        top_n(breakdown, 0)
