"""Read stored movement data: sources, batches, observations, discrepancies (C2)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.observation_suppression import hidden_observations, is_counted
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.movement_records import (
    DISCREPANCY_KEY,
    ImportBatchRecord,
    ObservationCriteria,
    ObservationRecord,
    record_dict,
)
from itinera.domain.observation import Period
from itinera.domain.route_attribution import RouteMethod
from itinera.importers.parsing import parse_month
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.movements.query_repository import MovementQueryRepository

__all__ = [
    "ObservationFilter",
    "discrepancies",
    "get_batch",
    "get_source",
    "iter_observations",
    "list_sources",
    "query_observations",
]

KEY_COLUMNS = DISCREPANCY_KEY


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
    route_method: str | None = None  # alias, publisher, place-rule, coordinates, analyst, none

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

    def _route_method(self) -> str | None:
        known = [m.value for m in RouteMethod] + ["none"]
        if self.route_method is not None and self.route_method not in known:
            message = f"{self.route_method!r} is not one of {', '.join(known)}"
            raise ValidationError.single("route_method", message)
        return self.route_method

    def criteria(self) -> ObservationCriteria:
        """What the repository selects (raises ``ValidationError`` for a malformed month)."""
        starts_from, ends_by = self.bounds()
        return ObservationCriteria(
            indicator=self.indicator,
            route_id=self.route_id,
            country=self.country,
            nationality=self.nationality,
            source=self.source,
            batch_id=self.batch_id,
            route_method=self._route_method(),
            starts_from=starts_from,
            ends_by=ends_by,
            include_superseded=self.include_superseded,
        )


def observation_dict(record: ObservationRecord) -> dict[str, Any]:
    """The API's shape of one observation: its fields plus the period's code."""
    data = record_dict(record)
    data["period"] = record.period
    return data


def query_observations(
    db: Database,
    actor: Actor,
    filters: ObservationFilter,
    *,
    limit: int = 100,
    offset: int = 0,
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[int, list[dict[str, Any]]]:
    """``(total, page)`` of observations, ordered by indicator, period, route, country.

    Without the exact-figures permission, small counts and what would reveal them are withheld
    (``value`` null, ``suppressed`` true), decided over each figure's whole group."""
    require(actor, Action.VIEW_AGGREGATES)
    criteria = filters.criteria()
    with db.transaction() as session:
        repository = MovementQueryRepository(session)
        total = repository.count_observations(criteria)
        page = repository.observation_page(criteria, limit=limit, offset=offset)
        hidden: frozenset[int] = frozenset()
        if not can(actor, Action.VIEW_EXACT_FIGURES):
            counted = [r for r in page if is_counted(r)]
            hidden = hidden_observations(repository.observation_neighbours(counted), threshold)
    return total, [_published(record, hidden) for record in page]


def _published(record: ObservationRecord, hidden: frozenset[int]) -> dict[str, Any]:
    data = observation_dict(record)
    data["suppressed"] = record.id in hidden
    if record.id in hidden:
        data["value"] = None
    return data


def iter_observations(
    session: UnitOfWork, filters: ObservationFilter
) -> Iterator[ObservationRecord]:
    """Every matching observation in id order, read in chunks (for exports)."""
    return MovementQueryRepository(session).iter_observations(filters.criteria())


def list_sources(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Every source with its batches (newest first) and current figure counts."""
    require(actor, Action.VIEW_AGGREGATES)
    with db.transaction() as session:
        found = MovementQueryRepository(session).sources()
    staff = _sees_staff(actor)
    return [
        {
            "key": source.key,
            "publisher": source.publisher,
            "current_observations": source.current_observations,
            "batches": [_batch_summary(batch, staff) for batch in source.batches],
        }
        for source in found
    ]


def _sees_staff(actor: Actor) -> bool:
    """Who imported a batch is a staff member's username: for those who import, not the public
    (issue 10, item 13)."""
    return can(actor, Action.IMPORT_MOVEMENTS)


def _batch_summary(batch: ImportBatchRecord, staff: bool) -> dict[str, Any]:
    data = record_dict(
        batch, without=("issues", "source") if staff else ("issues", "source", "actor")
    )
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
        batch = MovementQueryRepository(session).batch(batch_id)
    if batch is None:
        raise NotFoundError(f"no import batch {batch_id}")
    return record_dict(batch, without=() if _sees_staff(actor) else ("actor",))


def _public_discrepancy(key: tuple[Any, ...], values: dict[str, float], threshold: int) -> bool:
    row = dict(zip(KEY_COLUMNS, key, strict=True))
    no_breakdown = all(row.get(name) is None for name in ("nationality", "sex", "age_group"))
    return no_breakdown and all(v == 0 or v >= threshold for v in values.values())


def discrepancies(
    db: Database,
    actor: Actor,
    filters: ObservationFilter,
    *,
    limit: int = 500,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[dict[str, Any]]:
    """Where two or more sources give different current values for the same indicator, route,
    country, disaggregation and period; names the headline source (the preferred one). The
    public sees only totals (no breakdown) whose every value is zero or over the threshold."""
    require(actor, Action.VIEW_AGGREGATES)
    criteria = filters.criteria()
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    groups: dict[tuple[Any, ...], dict[str, float]] = defaultdict(dict)
    with db.transaction() as session:
        for figure in MovementQueryRepository(session).source_figures(criteria):
            groups[figure.key][figure.source] = figure.value
    if not exact:  # a breakdown's cell or a small figure could undo small-cell protection
        groups = {k: v for k, v in groups.items() if _public_discrepancy(k, v, threshold)}
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
