"""Seasonal, level-adjusted baseline on a log scale, worked by hand (decision 0027)."""

from __future__ import annotations

import math

import pytest

from itinera.domain.analytics.early_warning import (
    Direction,
    EarlyWarningSettings,
    Severity,
    detect_anomalies,
)
from itinera.domain.analytics.series import Month, months_between

JULY_2024 = Month(2024, 7)
# Five flat years of 100 a month: level 100, every seasonal factor 0, MAD 0 -> spread floor 0.5.
FLAT = {m: 100.0 for m in months_between(Month(2019, 1), Month(2024, 6))}


def test_a_month_far_above_its_baseline_is_flagged_and_the_range_is_a_band_of_ratios() -> None:
    (found,) = detect_anomalies({**FLAT, JULY_2024: 1000.0}, [JULY_2024])
    assert found.expected == pytest.approx(100.0)
    assert found.score == pytest.approx(math.log(1001 / 101) / 0.5)  # 4.59
    assert found.severity is Severity.WARNING and found.direction is Direction.UP
    # expected × e^(±2 × 0.5): never clipped to 0 as median − 2 × spread was
    assert found.expected_low == pytest.approx(101 / math.e - 1)  # 36.2
    assert found.expected_high == pytest.approx(101 * math.e - 1)  # 273.6
    assert found.years_of_history == 4  # 2019's July has no full year before it


def test_severity_levels_and_falls() -> None:
    (watch,) = detect_anomalies({**FLAT, JULY_2024: 300.0}, [JULY_2024])
    assert watch.severity is Severity.WATCH  # log(301/101)/0.5 = 2.18
    (fall,) = detect_anomalies({**FLAT, JULY_2024: 30.0}, [JULY_2024])
    assert fall.direction is Direction.DOWN and fall.score == pytest.approx(-2.36, abs=0.01)
    assert detect_anomalies({**FLAT, JULY_2024: 40.0}, [JULY_2024]) == []  # score -1.80
    (big,) = detect_anomalies({**FLAT, JULY_2024: 20000.0}, [JULY_2024])
    assert big.severity is Severity.ALERT


def test_a_fall_back_to_an_older_level_is_seen_against_the_recent_level() -> None:
    # Each year flat at its level, doubling: 2019 100 ... 2023 1600; 2024 falls to 400, the level
    # of 2021. A median of the same month in earlier years (400) would see nothing.
    levels = {2019: 100.0, 2020: 200.0, 2021: 400.0, 2022: 800.0, 2023: 1600.0, 2024: 400.0}
    series = {m: levels[m.year] for m in months_between(Month(2019, 1), JULY_2024)}
    (found,) = detect_anomalies(series, [JULY_2024])
    # level = mean(Jul 2023 .. Jun 2024) = 1000; each July stood at 4/3 of its own level
    assert found.expected == pytest.approx(1001 * 1601 / 1201 - 1, rel=0.01)
    assert found.direction is Direction.DOWN and found.severity is Severity.WATCH


def test_no_flag_without_enough_history_or_for_tiny_departures() -> None:
    short = {m: 10.0 for m in months_between(Month(2022, 1), Month(2024, 6))} | {JULY_2024: 500.0}
    assert detect_anomalies(short, [JULY_2024]) == []  # two Julys with a level before them
    assert len(detect_anomalies(short, [JULY_2024], EarlyWarningSettings(min_years=1))) == 1
    small = {m: 2.0 for m in FLAT} | {JULY_2024: 10.0}
    assert detect_anomalies(small, [JULY_2024]) == []  # 8 more than expected: below 10
    assert detect_anomalies(small, [JULY_2024], EarlyWarningSettings(min_difference=5))
    ratio = EarlyWarningSettings(min_ratio=3.5)
    assert detect_anomalies({**FLAT, JULY_2024: 300.0}, [JULY_2024], ratio) == []  # × 2.98


def test_thresholds_are_configurable_and_checked() -> None:
    strict = EarlyWarningSettings(thresholds=(1.0, 1.5, 2.0))
    (found,) = detect_anomalies({**FLAT, JULY_2024: 300.0}, [JULY_2024], strict)
    assert found.severity is Severity.ALERT
    with pytest.raises(ValueError):
        EarlyWarningSettings(thresholds=(3.0, 2.0, 1.0))
    with pytest.raises(ValueError):
        EarlyWarningSettings(min_ratio=0.5)
