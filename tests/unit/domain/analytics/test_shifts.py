"""Shares within a route group, their change, correlations and the explained shift alert."""

from __future__ import annotations

import pytest

from itinera.domain.analytics.series import Month
from itinera.domain.analytics.shifts import (
    correlation,
    detect_shifts,
    explain,
    localised_explanation,
    share_changes,
    shares,
)

JAN, FEB, MAR, APR = (Month(2024, k) for k in range(1, 5))
WESTERN = {
    "western-mediterranean": {JAN: 41.0, FEB: 82.0, MAR: 410.0, APR: 22.0},
    "west-africa-atlantic": {JAN: 12.0, FEB: 24.0, MAR: 120.0, APR: 35.0},
    "central-mediterranean": {JAN: 47.0, FEB: 94.0, MAR: 470.0, APR: 43.0},
}
NAMES = {
    "western-mediterranean": "Western Mediterranean",
    "west-africa-atlantic": "West Africa–Atlantic",
    "central-mediterranean": "Central Mediterranean",
}


def test_shares_are_of_the_group_total_and_need_every_route() -> None:
    share = shares(WESTERN, [JAN, APR])
    assert share["western-mediterranean"][JAN] == pytest.approx(0.41)
    assert share["west-africa-atlantic"][APR] == pytest.approx(0.35)
    incomplete = {"a": {JAN: 5.0}, "b": {}}
    assert shares(incomplete, [JAN]) == {"a": {JAN: None}, "b": {JAN: None}}
    assert shares({"a": {JAN: 0.0}, "b": {JAN: 0.0}}, [JAN])["a"][JAN] is None


def test_change_of_share_is_against_the_mean_of_three_months() -> None:
    share = shares(WESTERN, [JAN, FEB, MAR, APR])
    moved = share_changes(share["western-mediterranean"], [MAR, APR])
    assert moved[MAR] is None  # only two months before March
    assert moved[APR] == pytest.approx(0.22 - 0.41)


def test_a_shift_alert_names_both_routes_and_the_figures() -> None:
    alerts = detect_shifts("western", WESTERN, [APR], threshold_points=10)
    assert [(a.route, a.counterpart) for a in alerts] == [
        ("west-africa-atlantic", "western-mediterranean"),
        ("western-mediterranean", "west-africa-atlantic"),
    ]
    falling = alerts[1]
    assert falling.change_points == pytest.approx(-19.0)
    assert explain(falling, NAMES, "the western group") == (
        "Western Mediterranean share of the western group fell from 41% to 22% while "
        "West Africa–Atlantic rose from 12% to 35%. Its own figure fell from 178 to 22 a month "
        "(88%)."
    )
    text = localised_explanation(
        falling,
        {k: {"en": v, "fr": v} for k, v in NAMES.items()},
        {"en": "the western group", "fr": "le groupe occidental"},
    )
    assert text["fr"] == (
        "La part de Western Mediterranean dans le groupe occidental est passée de 41\u202f% à "
        "22\u202f%, tandis que celle de West Africa–Atlantic est passée de 12\u202f% à 35\u202f%. "
        "Son volume est passé de 178 à 22 par mois (baisse de 88\u202f%)."
    )
    assert "41%" in text["ar"] and "تراجعت" in text["ar"]
    assert detect_shifts("western", WESTERN, [APR], threshold_points=25) == []


def test_correlation_of_monthly_changes() -> None:
    months = [Month(2023, k) for k in range(1, 8)]
    a = dict(zip(months, [10.0, 12, 11, 15, 14, 18, 17], strict=True))
    b = dict(zip(months, [10.0, 8, 9, 5, 6, 2, 3], strict=True))
    assert correlation(a, b) == pytest.approx(-1.0)
    assert correlation(a, a) == pytest.approx(1.0)
    assert correlation(a, b, min_points=7) is None
    flat = dict.fromkeys(months, 4.0)
    assert correlation(a, flat) is None


def test_a_share_that_rises_over_falling_crossings_says_the_crossings_fell() -> None:
    """Issue 11: the Central Mediterranean's share rose in spring 2024 while its crossings fell
    by half; the alert must say both."""
    group = {
        "central-mediterranean": {JAN: 100.0, FEB: 100.0, MAR: 100.0, APR: 60.0},
        "western-mediterranean": {JAN: 100.0, FEB: 100.0, MAR: 100.0, APR: 10.0},
    }
    [rising] = [a for a in detect_shifts("western", group, [APR], 10) if a.route.startswith("c")]
    assert rising.share_now > rising.share_before
    assert rising.volume_change == pytest.approx(-0.4)
    text = explain(rising, NAMES, "the western group")
    assert "share of the western group rose from 50% to 86%" in text
    assert text.endswith("Its own figure fell from 100 to 60 a month (40%).")
