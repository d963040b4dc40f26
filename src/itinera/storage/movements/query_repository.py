"""Read stored movement data (C2): observations, incidents, sources, import batches.

Every answer is a record of ``domain/movement_records.py``. Long reads (exports) are streamed:
observations in id order by keyset chunks, incidents straight from the driver's cursor, so an
export of millions of rows never holds them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from itinera.domain.movement_records import (
    DISCREPANCY_KEY,
    BatchProvenance,
    ImportBatchRecord,
    IncidentPoint,
    IncidentRecord,
    ObservationCriteria,
    ObservationRecord,
    RouteMonthFigure,
    SourceCoverage,
    SourceFigure,
    SourceRecord,
)
from itinera.storage.movements.tables import (
    import_batches,
    movement_incidents,
    movement_sources,
    observations,
)

__all__ = ["EXPORT_CHUNK", "MovementQueryRepository", "country_level"]

EXPORT_CHUNK = 20000
_o = observations.c
_OBSERVATION_COLUMNS = (
    *(_o[name] for name in ObservationRecord.__dataclass_fields__ if name in _o),
    movement_sources.c.key.label("source"),
    import_batches.c.vintage,
    import_batches.c.dataset,
)
_i = movement_incidents.c
_INCIDENT_COLUMNS = (
    *(_i[name] for name in IncidentRecord.__dataclass_fields__ if name in _i),
    movement_sources.c.key.label("source"),
    import_batches.c.vintage,
)
_BATCH_COLUMNS = tuple(c for c in import_batches.c)


class MovementQueryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- observations ------------------------------------------------------------------------

    def count_observations(self, criteria: ObservationCriteria) -> int:
        query = _observations(criteria).subquery()
        return int(self.session.scalar(select(func.count()).select_from(query)) or 0)

    def observation_page(
        self, criteria: ObservationCriteria, *, limit: int, offset: int
    ) -> list[ObservationRecord]:
        """Ordered by indicator, period, route, country (then id, so pages never overlap)."""
        query = (
            _observations(criteria)
            .order_by(_o.indicator, _o.period_start, _o.route_id, _o.country, _o.id)
            .limit(limit)
            .offset(offset)
        )
        return [ObservationRecord(*row) for row in self.session.execute(query)]

    def observation_neighbours(self, records: list[ObservationRecord]) -> list[ObservationRecord]:
        """Every observation of the same batches, indicators and period starts as ``records``
        (superseded ones too): the groups small-cell protection decides over."""
        if not records:
            return []
        query = (
            select(*_OBSERVATION_COLUMNS)
            .select_from(
                observations.join(import_batches, import_batches.c.id == _o.batch_id).join(
                    movement_sources, movement_sources.c.id == _o.source_id
                )
            )
            .where(_o.batch_id.in_(sorted({r.batch_id for r in records})))
            .where(_o.indicator.in_(sorted({r.indicator for r in records})))
            .where(_o.period_start.in_(sorted({r.period_start for r in records})))
        )
        return [ObservationRecord(*row) for row in self.session.execute(query)]

    def iter_observations(self, criteria: ObservationCriteria) -> Iterator[ObservationRecord]:
        """Every matching observation in id order, read ``EXPORT_CHUNK`` rows at a time."""
        last = 0
        while True:
            query = _observations(criteria).where(_o.id > last).order_by(_o.id)
            rows = self.session.execute(query.limit(EXPORT_CHUNK)).all()
            if not rows:
                return
            for row in rows:
                yield ObservationRecord(*row)
            last = rows[-1].id

    def source_figures(self, criteria: ObservationCriteria) -> Iterator[SourceFigure]:
        """Each source's sum of the matching figures per ``DISCREPANCY_KEY``."""
        inner = _observations(criteria).subquery()
        keys = [inner.c[name] for name in DISCREPANCY_KEY]
        query = (
            select(*keys, inner.c.source, func.sum(inner.c.value))
            .where(country_level(inner.c.admin_level))  # admin areas are parts of it
            .group_by(*keys, inner.c.source)
        )
        for *key, source, value in self.session.execute(query):
            named = dict(zip(DISCREPANCY_KEY, key, strict=True))
            named["period_start"] = _as_date(named["period_start"])
            yield SourceFigure(**named, source=source, value=float(value))

    def route_months(
        self, criteria: ObservationCriteria, border_type: str | None, with_nationality: bool
    ) -> list[RouteMonthFigure]:
        """The matching monthly figures summed per route and month: country level, no
        breakdown by sex or age, one border type (or every one), and figures by nationality
        summed in or left out."""
        query = _observations(criteria).where(
            _o.period_kind == "month",
            _o.route_id.is_not(None),
            _o.sex.is_(None),
            _o.age_group.is_(None),
            country_level(_o.admin_level),
        )
        if border_type is not None:
            query = query.where(_o.border_type == border_type)
        if not with_nationality:
            query = query.where(_o.nationality.is_(None))
        inner = query.subquery()
        summed = select(inner.c.route_id, inner.c.period_start, func.sum(inner.c.value))
        rows = self.session.execute(summed.group_by(inner.c.route_id, inner.c.period_start))
        return [RouteMonthFigure(r, _as_date(m), float(v)) for r, m, v in rows]

    # -- incidents ---------------------------------------------------------------------------

    def iter_incidents(
        self, *, source: str | None = None, route_id: str | None = None
    ) -> Iterator[IncidentRecord]:
        """Every incident (current and superseded) in id order, streamed."""
        query = (
            select(*_INCIDENT_COLUMNS)
            .join(movement_sources, movement_sources.c.id == _i.source_id)
            .join(import_batches, import_batches.c.id == _i.batch_id)
            .order_by(_i.id)
        )
        if source:
            query = query.where(movement_sources.c.key == source)
        if route_id:
            query = query.where(_i.route_id == route_id)
        for row in self.session.execute(query):
            values = list(row)
            for position in _INCIDENT_LISTS:
                values[position] = tuple(values[position] or ())
            yield IncidentRecord(*values)

    def incident_points(
        self, first: date, last: date, route_id: str | None = None
    ) -> list[IncidentPoint]:
        """Current incidents dated ``first`` to ``last`` with coordinates and people dead or
        missing (optionally on one route), for the map's grid cells."""
        people = func.coalesce(_i.dead, 0) + func.coalesce(_i.missing, 0)
        query = select(_i.lat, _i.lon, _i.route_id, people).where(
            _i.superseded.is_(False),
            _i.lat.is_not(None),
            _i.lon.is_not(None),
            _i.date >= first,
            _i.date <= last,
        )
        if route_id:
            query = query.where(_i.route_id == route_id)
        return [
            IncidentPoint(float(lat), float(lon), route, int(count))
            for lat, lon, route, count in self.session.execute(query)
            if count
        ]

    # -- sources and batches -----------------------------------------------------------------

    def sources(self) -> list[SourceRecord]:
        """Every source by key, with its batches newest first and its current figure count."""
        current = _o.superseded.is_(False)
        counted = self.session.execute(
            select(_o.source_id, func.count()).where(current).group_by(_o.source_id)
        ).all()
        counts = {int(source): int(count) for source, count in counted}
        found = self.session.execute(
            select(
                movement_sources.c.id, movement_sources.c.key, movement_sources.c.publisher
            ).order_by(movement_sources.c.key)
        ).all()
        keys = {int(row.id): row.key for row in found}
        batches: dict[int, list[ImportBatchRecord]] = defaultdict(list)
        query = select(*_BATCH_COLUMNS).order_by(import_batches.c.id.desc())
        for row in self.session.execute(query):
            batches[row.source_id].append(_batch(row, keys[row.source_id]))
        return [
            SourceRecord(row.key, row.publisher, counts.get(row.id, 0), tuple(batches[row.id]))
            for row in found
        ]

    def batch(self, batch_id: int) -> ImportBatchRecord | None:
        row = self.session.execute(
            select(*_BATCH_COLUMNS, movement_sources.c.key.label("source"))
            .join(movement_sources, movement_sources.c.id == import_batches.c.source_id)
            .where(import_batches.c.id == batch_id)
        ).first()
        return None if row is None else _batch(row, row.source)

    def source_coverage(self, route_id: str | None = None) -> list[SourceCoverage]:
        """Per source and indicator, the first and last day of its current figures (of one
        route when given), by source then indicator."""
        s = movement_sources.c
        query = (
            select(
                s.key,
                s.publisher,
                _o.indicator,
                func.min(_o.period_start),
                func.max(_o.period_end),
                func.count(),
            )
            .join(movement_sources, s.id == _o.source_id)
            .where(_o.superseded.is_(False))
            .group_by(s.key, s.publisher, _o.indicator)
            .order_by(s.key, _o.indicator)
        )
        if route_id is not None:
            query = query.where(_o.route_id == route_id)
        return [
            SourceCoverage(key, publisher, indicator, _as_date(first), _as_date(last), count)
            for key, publisher, indicator, first, last, count in self.session.execute(query)
        ]

    def batch_provenance(self, batch_ids: list[int]) -> list[BatchProvenance]:
        """Source, dataset, vintage, file and import time of these batches, by id."""
        b = import_batches.c
        query = (
            select(b.id, movement_sources.c.key, b.dataset, b.vintage, b.file_name, b.finished_at)
            .join(movement_sources, movement_sources.c.id == b.source_id)
            .where(b.id.in_(batch_ids))
            .order_by(b.id)
        )
        return [BatchProvenance(*row) for row in self.session.execute(query)]


_INCIDENT_LISTS = tuple(
    position
    for position, name in enumerate(IncidentRecord.__dataclass_fields__)
    if name in ("causes", "origins", "related_ids")
)


def _observations(criteria: ObservationCriteria) -> Select[Any]:
    query = select(*_OBSERVATION_COLUMNS).select_from(
        observations.join(import_batches, import_batches.c.id == _o.batch_id).join(
            movement_sources, movement_sources.c.id == _o.source_id
        )
    )
    for column in ("indicator", "route_id", "country", "nationality", "batch_id"):
        value = getattr(criteria, column)
        if value is not None:
            query = query.where(_o[column] == value)
    if criteria.source:
        query = query.where(movement_sources.c.key == criteria.source)
    if criteria.route_method == "none":
        query = query.where(_o.route_id.is_(None))
    elif criteria.route_method:
        query = query.where(_o.route_method == criteria.route_method)
    if criteria.starts_from:
        query = query.where(_o.period_start >= criteria.starts_from)
    if criteria.ends_by:
        query = query.where(_o.period_end <= criteria.ends_by)
    if not criteria.include_superseded:
        query = query.where(_o.superseded.is_(False))
    return query


def _batch(row: Any, source: str) -> ImportBatchRecord:
    values = {column.name: row._mapping[column.name] for column in _BATCH_COLUMNS}
    values["issues"] = tuple(values["issues"] or ())
    return ImportBatchRecord(**values, source=source)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def country_level(admin_level: Any) -> ColumnElement[bool]:
    """SQL: a figure summed into totals: a country's (level 0) or of no stated level. Figures
    of admin areas (level 1, 2 …) are parts of their country's and are never added to it."""
    return or_(admin_level.is_(None), admin_level == 0)
