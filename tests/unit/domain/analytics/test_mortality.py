"""The mortality rate (dead + missing) / (arrivals + dead + missing), worked by hand."""

from __future__ import annotations

import pytest

from itinera.domain.analytics.mortality import mortality_over, mortality_rate, mortality_series
from itinera.domain.analytics.series import Month
from itinera.domain.observation import Unit


def test_the_rate_is_dead_and_missing_over_everyone_who_attempted() -> None:
    rate = mortality_rate(arrivals=9_800, dead_and_missing=200)
    assert rate.rate == pytest.approx(0.02)  # 200 / 10,000
    assert rate.per_thousand == pytest.approx(20.0)


def test_the_rate_is_undefined_not_zero_without_arrivals() -> None:
    assert mortality_rate(None, 35).rate is None
    assert mortality_rate(1_000, None).rate is None
    assert mortality_rate(0, 0).rate is None
    assert mortality_rate(0, 4).rate == 1.0  # deaths with no recorded arrival
    assert mortality_rate(1_000, 0).rate == 0.0


def test_detections_never_enter_the_denominator() -> None:
    with pytest.raises(ValueError, match="detections"):
        mortality_rate(1_000, 10, arrivals_unit=Unit.DETECTIONS)
    with pytest.raises(ValueError, match="detections"):
        mortality_over({}, {}, [Month(2024, 1)], arrivals_unit="detections")


def test_rates_per_month_and_over_a_period() -> None:
    jan, feb, mar = Month(2024, 1), Month(2024, 2), Month(2024, 3)
    arrivals = {jan: 990.0, feb: 1_470.0}
    dead = {jan: 10.0, feb: 30.0, mar: 12.0}
    monthly = mortality_series(arrivals, dead, [jan, feb, mar])
    assert monthly[jan].rate == pytest.approx(0.01)
    assert monthly[feb].rate == pytest.approx(0.02)
    assert monthly[mar].rate is None
    assert mortality_over(arrivals, dead, [jan, feb]).rate == pytest.approx(40 / 2_500)
    partial = mortality_over(arrivals, dead, [jan, feb, mar])
    assert partial.rate is None and partial.dead_and_missing == 52.0
