"""Read stored movement data: sources, batches, observations, discrepancies (C2)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.observation import Period, PeriodKind
from itinera.importers.parsing import parse_month
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.database import Database
from itinera.storage.movements.tables import import_batches, movement_sources, observations

__all__ = [
    "ObservationFilter",
    "discrepancies",
    "get_batch",
    "get_source",
    "iter_observations",
    "list_sources",
    "query_observations",
]

KEY_COLUMNS = (
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


@dataclass(frozen=True)
class ObservationFilter:
    indicator: str | None = None
    route_id: str | None = None
    country: str | None = None
    nationality: str | None = None
    source: str | None = None
    period_from: str | None = None  # YYYY-MM, inclusive
    period_to: str | None = None
    batch_id: int | None = None
    include_superseded: bool = False

    def bounds(self) -> tuple[date | None, date | None]:
        bounds: list[date | None] = []
        for name, text, end in (("from", self.period_from, False), ("to", self.period_to, True)):
            if not text:
                bounds.append(None)
                continue
            try:
                month = Period.month(*parse_month(text))
            except ValueError as error:
                raise ValidationError.single(name, str(error)) from None
            bounds.append(month.end if end else month.start)
        return bounds[0], bounds[1]


def _columns() -> list[Any]:
    return [
        observations,
        movement_sources.c.key.label("source"),
        import_batches.c.vintage,
        import_batches.c.dataset,
    ]


def _select(filters: ObservationFilter) -> Select[Any]:
    query = select(*_columns()).select_from(
        observations.join(import_batches, import_batches.c.id == observations.c.batch_id).join(
            movement_sources, movement_sources.c.id == observations.c.source_id
        )
    )
    for column in ("indicator", "route_id", "country", "nationality", "batch_id"):
        value = getattr(filters, column)
        if value is not None:
            query = query.where(observations.c[column] == value)
    if filters.source:
        query = query.where(movement_sources.c.key == filters.source)
    start, end = filters.bounds()
    if start:
        query = query.where(observations.c.period_start >= start)
    if end:
        query = query.where(observations.c.period_end <= end)
    if not filters.include_superseded:
        query = query.where(observations.c.superseded.is_(False))
    return query


def _as_dict(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["period"] = Period(
        data["period_start"], data["period_end"], PeriodKind(data["period_kind"])
    ).code
    data.pop("route_key", None)
    data.pop("source_id", None)
    return data


def query_observations(
    db: Database, actor: Actor, filters: ObservationFilter, *, limit: int = 100, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """``(total, page)`` of observations, ordered by indicator, period, route, country."""
    require(actor, Action.VIEW_AGGREGATES)
    query = _select(filters)
    with db.transaction() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ordered = (
            query.order_by(
                observations.c.indicator,
                observations.c.period_start,
                observations.c.route_id,
                observations.c.country,
                observations.c.id,
            )
            .limit(limit)
            .offset(offset)
        )
        return int(total), [_as_dict(row) for row in session.execute(ordered)]


def iter_observations(session: Session, filters: ObservationFilter) -> Iterator[dict[str, Any]]:
    """Every matching observation in id order, read in chunks (for exports)."""
    last = 0
    while True:
        query = _select(filters).where(observations.c.id > last).order_by(observations.c.id)
        rows = session.execute(query.limit(20000)).all()
        if not rows:
            return
        for row in rows:
            yield _as_dict(row)
        last = rows[-1].id


def list_sources(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Every source with its batches (newest first) and current figure counts."""
    require(actor, Action.VIEW_AGGREGATES)
    with db.transaction() as session:
        counted = session.execute(
            select(observations.c.source_id, func.count())
            .where(observations.c.superseded.is_(False))
            .group_by(observations.c.source_id)
        ).all()
        counts = {int(source): int(count) for source, count in counted}
        batches = defaultdict(list)
        for batch in session.execute(select(import_batches).order_by(import_batches.c.id.desc())):
            batches[batch.source_id].append(_batch_summary(batch))
        return [
            {
                "key": s.key,
                "publisher": s.publisher,
                "current_observations": counts.get(s.id, 0),
                "batches": batches[s.id],
            }
            for s in session.execute(select(movement_sources).order_by(movement_sources.c.key))
        ]


def _batch_summary(batch: Any) -> dict[str, Any]:
    data = dict(batch._mapping)
    data.pop("issues", None)
    data["issue_count"] = len(batch.issues)
    return data


def get_source(db: Database, actor: Actor, key: str) -> dict[str, Any]:
    for source in list_sources(db, actor):
        if source["key"] == key:
            return source
    raise NotFoundError(f"no source with key {key!r}")


def get_batch(db: Database, actor: Actor, batch_id: int) -> dict[str, Any]:
    """One import batch with its issues."""
    require(actor, Action.VIEW_AGGREGATES)
    with db.transaction() as session:
        row = session.execute(
            select(import_batches, movement_sources.c.key.label("source"))
            .join(movement_sources, movement_sources.c.id == import_batches.c.source_id)
            .where(import_batches.c.id == batch_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no import batch {batch_id}")
        return dict(row._mapping)


def discrepancies(
    db: Database, actor: Actor, filters: ObservationFilter, *, limit: int = 500
) -> list[dict[str, Any]]:
    """Where two or more sources give different current values for the same indicator, route,
    country, disaggregation and period; names the headline source (the preferred one)."""
    require(actor, Action.VIEW_AGGREGATES)
    inner = _select(filters).subquery()
    keys = [inner.c[name] for name in KEY_COLUMNS]
    query = select(*keys, inner.c.source, func.sum(inner.c.value)).group_by(*keys, inner.c.source)
    groups: dict[tuple[Any, ...], dict[str, float]] = defaultdict(dict)
    with db.transaction() as session:
        for found in session.execute(query):
            groups[tuple(found[:-2])][found[-2]] = float(found[-1])
    dictionary = indicator_dictionary()
    result = []
    for key, values in groups.items():
        if len(values) < 2 or len(set(values.values())) < 2:
            continue
        row = dict(zip(KEY_COLUMNS, key, strict=True))
        indicator = dictionary.indicators.get(row["indicator"])
        preferred = [s for s in (indicator.preferred_sources if indicator else ()) if s in values]
        headline = preferred[0] if preferred else sorted(values)[0]
        start = row["period_start"]
        start = start if isinstance(start, date) else date.fromisoformat(str(start))
        period = Period.month(start.year, start.month) if row["period_kind"] == "month" else None
        row.update(
            values=values,
            headline_source=headline,
            headline_value=values[headline],
            spread=max(values.values()) - min(values.values()),
            period=period.code if period else str(start),
        )
        result.append(row)
        if len(result) >= limit:
            break
    return result
