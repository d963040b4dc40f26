"""The monitoring plan (C6, "plan de suivi"): indicators with a baseline, targets per period and
per country or route, and progress from the activities that report on them or values entered
directly."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from itinera.domain.activity import Aggregation
from itinera.domain.text import LocalisedText

__all__ = ["Direction", "MonitoringIndicator", "Progress", "Target"]


class Direction(StrEnum):
    UP = "up"  # more is better
    DOWN = "down"


@dataclass(frozen=True)
class MonitoringIndicator:
    code: str
    name: LocalisedText
    pillar: int
    unit: str = "persons"
    definition: LocalisedText = field(default_factory=dict)
    direction: Direction = Direction.UP
    aggregation: Aggregation = Aggregation.SUM
    source: str = ""
    frequency: str = "monthly"
    responsible: str = ""
    reported_in: str | None = None
    baseline: float | None = None
    baseline_period: str | None = None
    origin: str = "user"  # reference · user


@dataclass(frozen=True)
class Target:
    period: str  # YYYY or YYYY-MM
    value: float
    country: str = ""  # "" for the whole plan
    route_id: str = ""


@dataclass(frozen=True)
class Progress:
    """An indicator's monthly values in a year, its aggregate, and the year's target."""

    indicator: MonitoringIndicator
    year: int
    months: dict[str, float]  # YYYY-MM -> value (activities' reached plus direct values)
    total: float | None
    target: float | None

    @property
    def share_of_target(self) -> float | None:
        if not self.target or self.total is None:
            return None
        return self.total / self.target

    @property
    def on_track(self) -> bool | None:
        share = self.share_of_target
        if share is None:
            return None
        return share >= 1 if self.indicator.direction is Direction.UP else share <= 1
