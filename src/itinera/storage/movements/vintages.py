"""Vintages of one source (C2): the newest figure of each identity is the current one.

Batches of a source are ordered by (vintage, batch id): a stated vintage (publication date,
ISO text) ranks above none, and between equal vintages the later import is the newer. Each
rule below marks the older side ``superseded``, whichever batch was imported last, so an
older vintage imported after a newer one is stored without replacing anything newer:

- a published figure is replaced by a newer figure of the same identity (source, indicator,
  period, route, country, place, nationality, sex, age group, border type). Figures of an
  identity only one batch holds stay current: two datasets of one source (a workbook and one
  of its tables, a wide file and a long copy) never wipe each other's other figures;
- an incident is replaced when a newer batch holds the same publisher's id, or holds incidents
  and the incident is dated within that batch's span (publishers re-issue their whole
  incident list: IOM's ids and route names change between layouts);
- a figure derived from incidents follows them: it is replaced when its month meets the
  incident span of a newer batch.
Nothing is deleted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from itinera.storage.movements.tables import import_batches, movement_incidents, observations

__all__ = ["IDENTITY", "newer_batches", "remove_batch", "supersede", "superseded_in"]

IDENTITY = (
    "indicator",
    "period_kind",
    "period_start",
    "period_end",
    "route_key",
    "route_id",
    "country",
    "place",
    "nationality",
    "sex",
    "age_group",
    "border_type",
    "admin_level",
)


def _rank(vintage: str | None, batch_id: int) -> tuple[int, str, int]:
    return (0 if vintage is None else 1, vintage or "", batch_id)


def older_and_newer(session: Session, source_id: int, batch_id: int) -> tuple[list[int], list[int]]:
    """The source's other batches, split into older and newer than ``batch_id``."""
    rows = session.execute(
        select(import_batches.c.id, import_batches.c.vintage).where(
            import_batches.c.source_id == source_id
        )
    ).all()
    ranks = {int(b): _rank(v, int(b)) for b, v in rows}
    mine = ranks[batch_id]
    older = sorted(b for b, r in ranks.items() if r < mine)
    newer = sorted(b for b, r in ranks.items() if r > mine)
    return older, newer


def _same_figure(target: Any, other: Any) -> Any:
    """SQL: ``other`` has the identity of ``target`` (NULL matches NULL)."""
    conditions = [other.c.source_id == target.c.source_id]
    for column in IDENTITY[:3]:  # never NULL: plain equality keeps the index usable
        conditions.append(other.c[column] == target.c[column])
    for column in IDENTITY[3:]:
        conditions.append(other.c[column].is_not_distinct_from(target.c[column]))
    return and_(*conditions)


def _mark_observations(session: Session, targets: list[int], against: list[int]) -> int:
    """Mark current figures of ``targets`` that a figure of ``against`` replaces."""
    if not targets or not against:
        return 0
    other = observations.alias("other")
    replaced = exists().where(other.c.batch_id.in_(against), _same_figure(observations, other))
    return _update(
        session,
        observations,
        observations.c.batch_id.in_(targets),
        observations.c.superseded.is_(False),
        replaced,
    )


def _span(session: Session, batch_id: int) -> tuple[Any, Any]:
    incidents = movement_incidents.c
    found = session.execute(
        select(func.min(incidents.date), func.max(incidents.date)).where(
            incidents.batch_id == batch_id
        )
    ).one()
    return found[0], found[1]


def _mark_incidents(session: Session, targets: list[int], against: list[int]) -> tuple[int, int]:
    """Mark incidents of ``targets`` (and figures derived from them) that a batch of
    ``against`` replaces; returns (observations, incidents) marked."""
    figures = incidents_marked = 0
    incidents, o = movement_incidents.c, observations.c
    for batch in against if targets else []:
        low, high = _span(session, batch)
        ids = select(incidents.record_id).where(incidents.batch_id == batch)
        replaced: Any = incidents.record_id.in_(ids)
        if low is not None:
            replaced = or_(replaced, incidents.date.between(low, high))
            figures += _update(
                session,
                observations,
                o.batch_id.in_(targets),
                o.superseded.is_(False),
                o.derived.is_(True),
                o.period_start <= high,
                o.period_end >= low,
            )
        incidents_marked += _update(
            session,
            movement_incidents,
            incidents.batch_id.in_(targets),
            incidents.superseded.is_(False),
            replaced,
        )
    return figures, incidents_marked


def _update(session: Session, table: Any, *where: Any) -> int:
    return int(session.execute(update(table).where(*where).values(superseded=True)).rowcount or 0)


def supersede(session: Session, source_id: int, batch_id: int) -> tuple[int, int]:
    """Apply the vintage rule for a new batch; returns (observations, incidents) marked,
    whether in older batches or in the new batch itself."""
    older, newer = older_and_newer(session, source_id, batch_id)
    marked = _mark_observations(session, older, [batch_id])
    marked += _mark_observations(session, [batch_id], newer)
    incidents_marked = 0
    for targets, against in (([batch_id], newer), (older, [batch_id])):
        figures, incidents = _mark_incidents(session, targets, against)
        marked, incidents_marked = marked + figures, incidents_marked + incidents
    return marked, incidents_marked


def remove_batch(session: Session, batch_id: int) -> int | None:
    """Delete one batch and what it stored, then apply the vintage rule again between the
    source's remaining batches, so the store is exactly as if the batch had never been
    imported (the rule is pairwise, so the order of re-application does not matter). Returns
    the source id, or None when there is no such batch."""
    source_id = session.scalar(
        select(import_batches.c.source_id).where(import_batches.c.id == batch_id)
    )
    if source_id is None:
        return None
    for table in (observations, movement_incidents):
        session.execute(delete(table).where(table.c.batch_id == batch_id))
    session.execute(delete(import_batches).where(import_batches.c.id == batch_id))
    remaining = session.scalars(
        select(import_batches.c.id).where(import_batches.c.source_id == source_id)
    ).all()
    for table in (observations, movement_incidents):
        session.execute(
            update(table)
            .where(table.c.batch_id.in_(remaining), table.c.superseded.is_(True))
            .values(superseded=False)
        )
    for batch in remaining:
        supersede(session, int(source_id), int(batch))
    return int(source_id)


def newer_batches(session: Session, source_id: int, batch_id: int) -> list[tuple[int, str | None]]:
    """The source's batches that rank above ``batch_id`` (id, vintage), newest first."""
    _, newer = older_and_newer(session, source_id, batch_id)
    rows = session.execute(
        select(import_batches.c.id, import_batches.c.vintage).where(import_batches.c.id.in_(newer))
    ).all()
    return sorted(((int(b), v) for b, v in rows), key=lambda r: _rank(r[1], r[0]), reverse=True)


def superseded_in(session: Session, batch_id: int) -> tuple[int, int]:
    """(observations, incidents) of ``batch_id`` marked superseded."""
    counts = []
    for table in (observations, movement_incidents):
        query = select(func.count()).where(
            table.c.batch_id == batch_id, table.c.superseded.is_(True)
        )
        counts.append(int(session.scalar(query) or 0))
    return counts[0], counts[1]
