"""Early warning: months that depart from their seasonal baseline.

Method (docs/analytics.md): for a month, the baseline is the same calendar month in up to
``max_years`` earlier years, used only when at least ``min_years`` of them have a figure. The
expected value is their median; the spread is the median absolute deviation scaled by 1.4826
(so that it estimates a standard deviation for normal data), floored at ``min_spread`` and at
``relative_floor`` × median so that a perfectly flat history does not turn every small wobble into
an alert. The robust score is (value − median) / spread. Severity rises with the score
(``thresholds``: watch, warning, alert); departures smaller than ``min_difference`` in absolute
terms are never flagged. The expected range is median ± thresholds[0] × spread, not below 0.
Median and MAD resist the outliers (a record year) that would inflate a mean and standard
deviation; STL would need long complete series, which most routes lack.
"""

from __future__ import annotations

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
    min_spread: float = 1.0
    relative_floor: float = 0.1

    def __post_init__(self) -> None:
        if self.min_years < 1 or self.max_years < self.min_years:
            raise ValueError("early warning needs 1 <= min_years <= max_years")
        if not 0 < self.thresholds[0] <= self.thresholds[1] <= self.thresholds[2]:
            raise ValueError("early-warning thresholds must be positive and increasing")


@dataclass(frozen=True)
class Anomaly:
    month: Month
    value: float
    expected: float  # the baseline median
    expected_low: float
    expected_high: float
    score: float
    severity: Severity
    direction: Direction
    years_of_history: int


@dataclass(frozen=True)
class Baseline:
    expected: float
    spread: float
    years: int


def baseline(
    series: Mapping[Month, float], month: Month, settings: EarlyWarningSettings
) -> Baseline | None:
    history = [
        series[m]
        for m in (month.shift(-12 * k) for k in range(1, settings.max_years + 1))
        if m in series
    ]
    if len(history) < settings.min_years:
        return None
    middle = median(history)
    mad = median(abs(v - middle) for v in history)
    spread = max(MAD_SCALE * mad, settings.min_spread, settings.relative_floor * abs(middle))
    return Baseline(middle, spread, len(history))


def _severity(score: float, thresholds: tuple[float, float, float]) -> Severity | None:
    size = abs(score)
    if size >= thresholds[2]:
        return Severity.ALERT
    if size >= thresholds[1]:
        return Severity.WARNING
    if size >= thresholds[0]:
        return Severity.WATCH
    return None


def detect_anomalies(
    series: Mapping[Month, float],
    months: Iterable[Month],
    settings: EarlyWarningSettings | None = None,
) -> list[Anomaly]:
    """The flagged months among ``months`` (those with a figure and enough history)."""
    settings = settings or EarlyWarningSettings()
    found = []
    for m in months:
        if m not in series:
            continue
        base = baseline(series, m, settings)
        if base is None:
            continue
        value = series[m]
        if abs(value - base.expected) < settings.min_difference:
            continue
        score = (value - base.expected) / base.spread
        severity = _severity(score, settings.thresholds)
        if severity is None:
            continue
        width = settings.thresholds[0] * base.spread
        found.append(
            Anomaly(
                m,
                value,
                base.expected,
                max(0.0, base.expected - width),
                base.expected + width,
                score,
                severity,
                Direction.UP if score > 0 else Direction.DOWN,
                base.years,
            )
        )
    return found
