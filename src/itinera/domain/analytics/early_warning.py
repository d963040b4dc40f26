"""Early warning: months that depart from their seasonal, level-adjusted baseline.

Method (docs/analytics.md, decision 0027). Figures are read on a log scale (``log(1 + v)``), so a
departure is a *ratio*: a fall by half weighs as much on a route of 500 a month as on one of
50,000, and the expected range is a band of ratios that never collapses to 0 below a small
median. For a month ``m``:

- the **level** is the mean of the ``level_months`` months before ``m`` (at least three quarters
  of them with a figure): where the route stands now;
- the **seasonal factor** of ``m``'s calendar month is the median, over up to ``max_years``
  earlier years (at least ``min_years``), of how far that year's same month stood from its own
  level (log ratio);
- expected = level × seasonal factor; spread = 1.4826 × MAD of those yearly factors, floored at
  ``min_log_spread`` so that a regular history does not turn every wobble into an alert;
- robust score = (log value − log expected) / spread; severity rises with it (``thresholds``).
  A departure smaller than ``min_difference`` people or than ``min_ratio`` (× or ÷) is never
  flagged.

A seasonal median alone compares 2024 with 2019–2023 and misses a fall back to the level of three
years before (the Central Mediterranean in 2024); the level makes the baseline "where the route
stood last year, in this season". Median and MAD resist a record year. Thresholds can differ per
route and indicator (``reference/data/early_warning.yaml``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

from itinera.domain.analytics.series import Month

__all__ = ["Anomaly", "Direction", "EarlyWarningSettings", "Severity", "detect_anomalies"]

MAD_SCALE = 1.4826


class Severity(StrEnum):
    WATCH = "watch"
    WARNING = "warning"
    ALERT = "alert"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class EarlyWarningSettings:
    min_years: int = 3
    max_years: int = 5
    thresholds: tuple[float, float, float] = (2.0, 3.0, 5.0)  # watch, warning, alert
    min_difference: float = 10.0
    min_ratio: float = 1.5  # a departure of less than ×1.5 or ÷1.5 is never flagged
    min_log_spread: float = 0.5
    level_months: int = 12

    def __post_init__(self) -> None:
        if self.min_years < 1 or self.max_years < self.min_years:
            raise ValueError("early warning needs 1 <= min_years <= max_years")
        if not 0 < self.thresholds[0] <= self.thresholds[1] <= self.thresholds[2]:
            raise ValueError("early-warning thresholds must be positive and increasing")
        if self.min_ratio < 1 or self.min_log_spread <= 0 or self.level_months < 1:
            raise ValueError("early warning needs min_ratio >= 1, min_log_spread > 0, level >= 1")


@dataclass(frozen=True)
class Anomaly:
    month: Month
    value: float
    expected: float
    expected_low: float
    expected_high: float
    score: float
    severity: Severity
    direction: Direction
    years_of_history: int


@dataclass(frozen=True)
class Baseline:
    expected: float  # on the log scale
    spread: float  # on the log scale
    years: int


def _log(value: float) -> float:
    return math.log1p(max(value, 0.0))


def _level(series: Mapping[Month, float], month: Month, months: int) -> float | None:
    """Log of the mean of the ``months`` months before ``month``, when enough are known."""
    window = [series[m] for m in (month.shift(-k) for k in range(1, months + 1)) if m in series]
    if 4 * len(window) < 3 * months:
        return None
    return _log(sum(window) / len(window))


def baseline(
    series: Mapping[Month, float], month: Month, settings: EarlyWarningSettings
) -> Baseline | None:
    level = _level(series, month, settings.level_months)
    if level is None:
        return None
    factors = []
    for earlier in (month.shift(-12 * k) for k in range(1, settings.max_years + 1)):
        then = _level(series, earlier, settings.level_months)
        if earlier in series and then is not None:
            factors.append(_log(series[earlier]) - then)
    if len(factors) < settings.min_years:
        return None
    factor = median(factors)
    mad = median(abs(f - factor) for f in factors)
    return Baseline(level + factor, max(MAD_SCALE * mad, settings.min_log_spread), len(factors))


def _severity(score: float, thresholds: tuple[float, float, float]) -> Severity | None:
    size = abs(score)
    if size >= thresholds[2]:
        return Severity.ALERT
    if size >= thresholds[1]:
        return Severity.WARNING
    if size >= thresholds[0]:
        return Severity.WATCH
    return None


def _anomaly(
    series: Mapping[Month, float], m: Month, settings: EarlyWarningSettings
) -> Anomaly | None:
    base = baseline(series, m, settings)
    if base is None:
        return None
    value = series[m]
    departure = _log(value) - base.expected
    expected = math.expm1(base.expected)
    if abs(value - expected) < settings.min_difference:
        return None
    if abs(departure) < math.log(settings.min_ratio):
        return None
    score = departure / base.spread
    severity = _severity(score, settings.thresholds)
    if severity is None:
        return None
    width = settings.thresholds[0] * base.spread
    return Anomaly(
        m,
        value,
        expected,
        max(0.0, math.expm1(base.expected - width)),
        math.expm1(base.expected + width),
        score,
        severity,
        Direction.UP if score > 0 else Direction.DOWN,
        base.years,
    )


def detect_anomalies(
    series: Mapping[Month, float],
    months: Iterable[Month],
    settings: EarlyWarningSettings | None = None,
) -> list[Anomaly]:
    """The flagged months among ``months`` (those with a figure and enough history). Each month
    reads only itself and earlier months, so a replay month by month gives the same answer."""
    settings = settings or EarlyWarningSettings()
    found = [_anomaly(series, m, settings) for m in months if m in series]
    return [a for a in found if a is not None]
