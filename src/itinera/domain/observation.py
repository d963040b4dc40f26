"""Movement figures in harmonised form (C2): periods, observations, incidents.

This module is the contract between the importers (one per publisher format) and the
movement-data services: importers produce these objects plus collected issues; services
resolve routes, store, reconcile and export them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "AgeGroup",
    "Incident",
    "IncidentType",
    "Observation",
    "Period",
    "PeriodKind",
    "Sex",
    "Unit",
    "parse_period",
]


class Unit(StrEnum):
    PERSONS = "persons"
    DETECTIONS = "detections"  # Frontex: one person crossing twice is two detections
    INCIDENTS = "incidents"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class AgeGroup(StrEnum):
    CHILD = "child"  # under 18
    ADULT = "adult"
    UNKNOWN = "unknown"


class PeriodKind(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    YEAR_TO_DATE = "ytd"  # from 1 January to ``end``; never summed across months


@dataclass(frozen=True, order=True)
class Period:
    """A span of days. ``code`` is its canonical text: 2023-05-14, 2023-05, 2023-Q2, 2023,
    2023-YTD-05 (1 January to the end of May)."""

    start: date
    end: date
    kind: PeriodKind

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day, PeriodKind.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), PeriodKind.MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), cls.month(year, first + 2).end, PeriodKind.QUARTER)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR)

    @classmethod
    def year_to_date(cls, year: int, month: int) -> Period:
        return cls(date(year, 1, 1), cls.month(year, month).end, PeriodKind.YEAR_TO_DATE)

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.DAY:
            return self.start.isoformat()
        if self.kind is PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.year}-YTD-{self.end.month:02d}"

    def __str__(self) -> str:
        return self.code


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), "quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-YTD-(\d{2})$", re.IGNORECASE), "ytd"),
]


def parse_period(text: str) -> Period:
    """Parse a period code (see :class:`Period`); raises ValueError naming the bad text."""
    value = text.strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        numbers = [int(g) for g in match.groups()]
        try:
            if kind == "day":
                return Period.day(date(*numbers))
            if kind == "month":
                return Period.month(*numbers)
            if kind == "quarter":
                return Period.quarter(*numbers)
            if kind == "year":
                return Period.year(numbers[0])
            return Period.year_to_date(*numbers)
        except ValueError:
            break
    raise ValueError(f"{text!r} is not a period (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, YYYY-YTD-MM)")


@dataclass(frozen=True)
class Observation:
    """One figure. Provenance beyond ``source_row`` (source, dataset, vintage, batch) belongs
    to the import batch the observation is stored under."""

    indicator: str  # code from the indicator dictionary, e.g. "dead_and_missing"
    value: float
    period: Period
    route_name: str | None = None  # the publisher's route name, as written
    route_id: str | None = None  # catalogue id, when the importer or the alias table knows it
    country: str | None = None  # ISO alpha-3 of the country where the figure was counted
    place: str | None = None  # a finer place (disembarkation point, admin area) when given
    nationality: str | None = None  # ISO alpha-3
    sex: Sex | None = None
    age_group: AgeGroup | None = None
    source_row: int | None = None  # 1-based row in the source file
    note: str | None = None
    border_type: str | None = None  # "land" or "sea" when the publisher splits by it (Frontex)
    # 0: a country's figure, 1, 2 …: an admin area's (``place``); None: not stated. Figures
    # of different levels overlap (a level-1 figure is part of its country's), so totals sum
    # one level only.
    admin_level: int | None = None
    correction: bool = False  # the publisher's own correction of earlier figures (negative)
    # How the figure got its route (a ``RouteMethod`` value) and its distance to the route's
    # nearest leg, when the file says so: only Itinera's own exports do, and reading them back
    # keeps a figure placed by a rule, by coordinates or by an analyst as it was placed.
    route_method: str | None = None
    route_distance_km: float | None = None


class IncidentType(StrEnum):
    SINGLE = "incident"
    SPLIT = "split"  # one event recorded on several rows (e.g. across two countries)
    CUMULATIVE = "cumulative"  # an aggregate over a period, never counted as one event


@dataclass(frozen=True)
class Incident:
    """One record of dead and missing migrants (IOM Missing Migrants Project style)."""

    source_id: str  # the publisher's id (MMP "Main ID" / "Web ID")
    incident_type: IncidentType
    date: date | None
    dead: int | None  # None: blank in the source (unknown), not zero
    missing: int | None
    survivors: int | None = None
    females: int | None = None
    males: int | None = None
    children: int | None = None
    lat: float | None = None
    lon: float | None = None
    route_name: str | None = None
    route_id: str | None = None
    country: str | None = None  # ISO alpha-3 of the country of incident
    region: str | None = None
    location: str | None = None
    causes: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()  # ISO alpha-3 where resolvable, else the text as given
    related_ids: tuple[str, ...] = ()  # the other rows of a split incident
    source_quality: str | None = None
    source_row: int | None = None
    route_method: str | None = None  # as on ``Observation``: read back from Itinera's export
    route_distance_km: float | None = None

    @property
    def dead_and_missing(self) -> int:
        return (self.dead or 0) + (self.missing or 0)

    @property
    def correction(self) -> bool:
        """A publisher's correction of earlier records: a negative count (MMP)."""
        counts = (self.dead, self.missing, self.survivors, self.females, self.males, self.children)
        return any(count is not None and count < 0 for count in counts)
