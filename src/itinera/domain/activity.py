"""Activities by pillar (C6): who does what where along each route, and what they report.

An activity is one organisation's work in one pillar of the route-based approach (seed 000
§III) at one place: an implementing organisation (and optionally a programme organisation
and funders), a sector as the partner named it, the pillar and service types that sector maps
to, a country and admin area (and coordinates when known), a period and a status. What it
achieves is reported per period (:class:`ActivityFigure`): people in need, targeted and
reached, each period's report moving from draft to submitted to approved (or returned).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "PILLARS",
    "Activity",
    "ActivityFigure",
    "ActivityStatus",
    "Aggregation",
    "ReportState",
    "ReportingPeriod",
]

PILLARS = (1, 2, 3, 4, 5, 6)  # the six pillars, by their number in seed 000 §III


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    SUSPENDED = "suspended"


class ReportState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class Aggregation(StrEnum):
    """How an indicator's figures add up over months (and so never count people twice)."""

    SUM = "sum"  # new people each month: add the months
    MAX = "max"  # cumulative figures: the largest month is the year's figure
    AVERAGE = "average"  # a level (beds, staff): the mean of the months
    COUNT_SITES = "count_sites"  # sites served: each place once


@dataclass(frozen=True)
class Activity:
    id: int | None
    organisation_id: int  # the implementing organisation (#org+impl)
    sector: str  # as the partner named it (#sector)
    pillar: int  # 1-6
    country: str  # ISO alpha-3
    title: str = ""  # #activity
    programme_organisation_id: int | None = None  # #org+prog
    funder_ids: tuple[int, ...] = ()  # #org+funder
    project_code: str | None = None
    key_area: str | None = None
    service_types: tuple[str, ...] = ()
    adm1: str | None = None
    adm2: str | None = None
    lat: float | None = None
    lon: float | None = None
    population_group: str | None = None
    start: date | None = None
    end: date | None = None
    status: ActivityStatus = ActivityStatus.ONGOING
    indicator: str | None = None  # the indicator its figures report on
    aggregation: Aggregation = Aggregation.SUM
    budget: float | None = None  # shown only to roles allowed to see budgets
    currency: str | None = None
    source: str = "manual"
    external_id: str | None = None  # the source's own id: re-imports find the same activity
    figures: tuple[ActivityFigure, ...] = field(default_factory=tuple)

    def without_budget(self) -> Activity:
        return Activity(**{**self.__dict__, "budget": None, "currency": None})


@dataclass(frozen=True)
class ActivityFigure:
    """People in need, targeted and reached in one period (a month, ``YYYY-MM``)."""

    period: str
    in_need: float | None = None
    targeted: float | None = None
    reached: float | None = None
    sex: str | None = None  # f, m, or None for all
    age_group: str | None = None
    state: ReportState = ReportState.DRAFT


@dataclass(frozen=True)
class ReportingPeriod:
    """A month (``YYYY-MM``) partners report on; once closed, figures change only through a
    correction with a reason."""

    period: str
    open: bool = True
