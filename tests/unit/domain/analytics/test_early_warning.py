"""Seasonal baseline by median and MAD, worked by hand."""

from __future__ import annotations

import pytest

from itinera.domain.analytics.early_warning import (
    Direction,
    EarlyWarningSettings,
    Severity,
    detect_anomalies,
)
from itinera.domain.analytics.series import Month

JULYS = {Month(y, 7): v for y, v in zip(range(2019, 2024), [100.0, 110, 90, 105, 95], strict=True)}
JULY_2024 = Month(2024, 7)


def test_a_month_far_above_its_seasonal_baseline_is_an_alert() -> None:
    # median 100; deviations 0, 10, 10, 5, 5 -> MAD 5 -> 7.41, floored at 10 % of 100 = 10
    (found,) = detect_anomalies({**JULYS, JULY_2024: 160.0}, [JULY_2024])
    assert found.expected == 100.0
    assert found.score == pytest.approx(6.0)
    assert found.severity is Severity.ALERT and found.direction is Direction.UP
    assert (found.expected_low, found.expected_high) == (80.0, 120.0)
    assert found.years_of_history == 5


def test_severity_levels_and_falls() -> None:
    (watch,) = detect_anomalies({**JULYS, JULY_2024: 125.0}, [JULY_2024])
    assert watch.severity is Severity.WATCH
    (warning,) = detect_anomalies({**JULYS, JULY_2024: 60.0}, [JULY_2024])
    assert warning.severity is Severity.WARNING and warning.direction is Direction.DOWN
    assert warning.score == pytest.approx(-4.0)
    (fall,) = detect_anomalies({**JULYS, JULY_2024: 45.0}, [JULY_2024])
    assert fall.severity is Severity.ALERT  # score -5.5
    assert detect_anomalies({**JULYS, JULY_2024: 105.0}, [JULY_2024]) == []


def test_no_flag_without_enough_history_or_for_tiny_departures() -> None:
    short = {Month(2022, 7): 10.0, Month(2023, 7): 12.0, JULY_2024: 500.0}
    assert detect_anomalies(short, [JULY_2024]) == []
    assert len(detect_anomalies(short, [JULY_2024], EarlyWarningSettings(min_years=2))) == 1
    flat = {Month(y, 7): 2.0 for y in range(2019, 2024)} | {JULY_2024: 8.0}
    assert detect_anomalies(flat, [JULY_2024]) == []  # 6 more than expected: below 10
    assert detect_anomalies(flat, [JULY_2024], EarlyWarningSettings(min_difference=5))[
        0
    ].score == pytest.approx(6.0)


def test_thresholds_are_configurable_and_checked() -> None:
    strict = EarlyWarningSettings(thresholds=(1.0, 1.5, 2.0))
    (found,) = detect_anomalies({**JULYS, JULY_2024: 125.0}, [JULY_2024], strict)
    assert found.severity is Severity.ALERT
    with pytest.raises(ValueError):
        EarlyWarningSettings(thresholds=(3.0, 2.0, 1.0))
