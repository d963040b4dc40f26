"""Stored movement data as the movement repositories return it (C2): what a query selects,
and the figures, incidents, sources and import batches it finds.

``observation.py`` holds what importers produce; these records add what storing gave them
(ids, batch, source key, vintage, superseded). Services turn them into the API's shapes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from itinera.domain.observation import Period, PeriodKind

__all__ = [
    "DISCREPANCY_KEY",
    "BatchProvenance",
    "ImportBatchRecord",
    "IncidentPoint",
    "IncidentRecord",
    "ObservationCriteria",
    "ObservationRecord",
    "RouteMonthFigure",
    "SourceCoverage",
    "SourceFigure",
    "SourceRecord",
    "record_dict",
]


@dataclass(frozen=True, slots=True)
class ObservationCriteria:
    """Which stored observations a query selects (``None``: any). Bounds are inclusive: the
    period must start on or after ``starts_from`` and end on or before ``ends_by``."""

    indicator: str | None = None
    route_id: str | None = None
    country: str | None = None
    nationality: str | None = None
    source: str | None = None
    batch_id: int | None = None
    route_method: str | None = None  # "none": figures on no route
    starts_from: dt.date | None = None
    ends_by: dt.date | None = None
    include_superseded: bool = False


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    """One stored figure with its provenance (source key, dataset, vintage)."""

    id: int
    batch_id: int
    indicator: str
    value: float
    unit: str
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    route_name: str | None
    route_id: str | None
    country: str | None
    place: str | None
    nationality: str | None
    sex: str | None
    age_group: str | None
    border_type: str | None
    source_row: int | None
    derived: bool
    superseded: bool
    admin_level: int | None
    correction: bool
    route_method: str | None  # how the route was found (domain.route_attribution.RouteMethod)
    route_distance_km: float | None  # by coordinates: to the nearest leg of the route
    source: str
    vintage: str | None
    dataset: str

    @property
    def period(self) -> str:
        """The period's canonical code (2023-05, 2023-Q2 …)."""
        return Period(self.period_start, self.period_end, PeriodKind(self.period_kind)).code


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """One stored incident (e.g. a Missing Migrants record) with its source and vintage."""

    id: int
    batch_id: int
    record_id: str
    incident_type: str
    date: dt.date | None
    dead: int | None
    missing: int | None
    survivors: int | None
    females: int | None
    males: int | None
    children: int | None
    lat: float | None
    lon: float | None
    route_name: str | None
    route_id: str | None
    country: str | None
    region: str | None
    location: str | None
    causes: tuple[str, ...]
    origins: tuple[str, ...]
    related_ids: tuple[str, ...]
    source_quality: str | None
    source_row: int | None
    superseded: bool
    route_method: str | None
    route_distance_km: float | None
    source: str
    vintage: str | None


@dataclass(frozen=True, slots=True)
class ImportBatchRecord:
    """One import batch: the file, what the reader made of it, and its collected issues."""

    id: int
    source_id: int
    reader: str
    dataset: str
    vintage: str | None
    file_name: str
    file_sha256: str
    status: str
    rows_read: int
    rows_rejected: int
    observation_count: int
    incident_count: int
    derived_count: int
    issues: tuple[dict[str, Any], ...]  # Issue.as_dict() of each, as stored
    unmapped_routes: dict[str, int]
    options: dict[str, Any]
    actor: str
    started_at: dt.datetime
    finished_at: dt.datetime
    coverage_end: dt.date | None
    attribution: dict[str, Any] | None  # by means of route attribution, as the report said
    source: str


@dataclass(frozen=True, slots=True)
class BatchProvenance:
    """Where the figures of one import batch come from, as route pages cite them."""

    batch_id: int
    source: str
    dataset: str
    vintage: str | None
    file_name: str
    imported_at: dt.datetime


@dataclass(frozen=True, slots=True)
class IncidentPoint:
    """A current, dated incident with coordinates: where, on which route, how many people
    dead or missing (never zero)."""

    lat: float
    lon: float
    route_id: str | None
    people: int


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source of movement data, its batches (newest first) and its current figures."""

    key: str
    publisher: str
    current_observations: int
    batches: tuple[ImportBatchRecord, ...]


DISCREPANCY_KEY = (
    "indicator",
    "route_id",
    "country",
    "nationality",
    "sex",
    "age_group",
    "border_type",
    "period_kind",
    "period_start",
)
"""What two sources must share for their figures to be compared."""


@dataclass(frozen=True, slots=True)
class SourceFigure:
    """The sum of one source's current figures for one comparison key (``DISCREPANCY_KEY``)."""

    indicator: str
    route_id: str | None
    country: str | None
    nationality: str | None
    sex: str | None
    age_group: str | None
    border_type: str | None
    period_kind: str
    period_start: dt.date
    source: str
    value: float

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in DISCREPANCY_KEY)


def record_dict(record: Any, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record's fields as a dict in declaration order (tuples become lists, as in JSON)."""
    data: dict[str, Any] = {}
    for item in fields(record):
        if item.name in without:
            continue
        value = getattr(record, item.name)
        data[item.name] = list(value) if isinstance(value, tuple) else value
    return data


@dataclass(frozen=True, slots=True)
class RouteMonthFigure:
    """One source's current monthly figure of one indicator summed over a route (reconciliation)."""

    route_id: str
    month: dt.date
    value: float


@dataclass(frozen=True, slots=True)
class SourceCoverage:
    """The months one source's current figures of one indicator span: what a dashboard says
    its data are "as of", so that a period beyond a source's last month is never silent."""

    source: str
    publisher: str
    indicator: str
    first: dt.date
    last: dt.date
    figures: int
