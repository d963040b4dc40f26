"""Read and write movement data (C2) over one session; the caller owns the transaction.

Observations are written in chunks with the driver's ``executemany`` (on SQLite straight on
the raw ``sqlite3`` cursor of the same transaction), never as ORM objects: a million rows
must store in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from itinera.domain.indicator import Indicator
from itinera.domain.observation import Incident
from itinera.domain.route_attribution import Attribution, RouteMethod
from itinera.storage.movements.bulk import (
    CHUNK,
    OBSERVATION_COLUMNS,
    ObservationBlock,
    bulk_insert,
    defer_indexes,
    restore_indexes,
)
from itinera.storage.movements.tables import (
    import_batches,
    indicators,
    movement_incidents,
    movement_sources,
    observations,
)
from itinera.storage.movements.vintages import (
    newer_batches,
    remove_batch,
    supersede,
    superseded_in,
)

__all__ = ["CHUNK", "OBSERVATION_COLUMNS", "MovementRepository", "ObservationBlock"]


class MovementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- indicators and sources --------------------------------------------------------------

    def save_indicators(self, items: Iterable[Indicator]) -> list[str]:
        """Bring the stored dictionary up to ``items``; one outcome per indicator."""
        stored = {row.code: dict(row._mapping) for row in self.session.execute(select(indicators))}
        outcomes = []
        for item in items:
            values = {
                "code": item.code,
                "unit": item.unit.value,
                "names": dict(item.name),
                "definition": dict(item.definition),
                "hxl": item.hxl,
                "synonyms": list(item.synonyms),
                "preferred_sources": list(item.preferred_sources),
            }
            current = stored.get(item.code)
            if current is None:
                self.session.execute(insert(indicators).values(**values))
                outcomes.append("added")
            elif current != values:
                self.session.execute(
                    update(indicators).where(indicators.c.code == item.code).values(**values)
                )
                outcomes.append("updated")
            else:
                outcomes.append("unchanged")
        return outcomes

    def source_id(self, key: str, publisher: str) -> int:
        found = self.session.scalar(
            select(movement_sources.c.id).where(movement_sources.c.key == key)
        )
        if found is not None:
            return int(found)
        result = self.session.execute(insert(movement_sources).values(key=key, publisher=publisher))
        return int(result.inserted_primary_key[0])

    # -- batches -----------------------------------------------------------------------------

    def batch_for_file(self, sha256: str, reader: str) -> int | None:
        query = select(import_batches.c.id).where(
            import_batches.c.file_sha256 == sha256, import_batches.c.reader == reader
        )
        found = self.session.scalar(query)
        return None if found is None else int(found)

    def add_batch(self, **values: Any) -> int:
        result = self.session.execute(insert(import_batches).values(**values))
        return int(result.inserted_primary_key[0])

    def update_batch(self, batch_id: int, **values: Any) -> None:
        self.session.execute(
            update(import_batches).where(import_batches.c.id == batch_id).values(**values)
        )

    def has_other_batches(self, source_id: int, batch_id: int) -> bool:
        query = select(func.count()).where(
            import_batches.c.source_id == source_id, import_batches.c.id != batch_id
        )
        return bool(self.session.scalar(query))

    # -- observations and incidents ----------------------------------------------------------

    def insert_observations(self, rows: Sequence[tuple[Any, ...]] | ObservationBlock) -> None:
        """Rows in ``OBSERVATION_COLUMNS`` order (or a block of rows sharing values), dates as
        ``date_value`` gives them: the driver's ``executemany`` on SQLite, ``COPY`` on
        PostgreSQL (same transaction)."""
        if rows:
            bulk_insert(self.session, rows)

    def date_value(self, day: date) -> Any:
        """A date as ``insert_observations`` takes it (ISO text on SQLite)."""
        return day.isoformat() if self.session.get_bind().dialect.name == "sqlite" else day

    def observation_rows_estimate(self) -> int:
        """About how many observations are stored (the highest id: no table scan)."""
        return int(self.session.scalar(select(func.max(observations.c.id))) or 0)

    def defer_indexes(self) -> bool:
        """Drop the secondary indexes of ``observations`` until ``restore_indexes``; SQLite
        only (its DDL is transactional and readers keep their snapshot). True when done."""
        return defer_indexes(self.session)

    def restore_indexes(self) -> None:
        restore_indexes(self.session)

    def insert_incidents(
        self,
        items: Sequence[tuple[Incident, str | None, Attribution]],
        *,
        batch_id: int,
        source_id: int,
    ) -> None:
        rows = [
            {
                "batch_id": batch_id,
                "source_id": source_id,
                "record_id": i.source_id,
                "incident_type": i.incident_type.value,
                "date": i.date,
                "dead": i.dead,
                "missing": i.missing,
                "survivors": i.survivors,
                "females": i.females,
                "males": i.males,
                "children": i.children,
                "lat": i.lat,
                "lon": i.lon,
                "route_name": i.route_name,
                "route_key": key,
                "route_id": found.route_id,
                "route_method": found.method.value if found.method else None,
                "route_distance_km": found.distance_km,
                "country": i.country,
                "region": i.region,
                "location": i.location,
                "causes": list(i.causes),
                "origins": list(i.origins),
                "related_ids": list(i.related_ids),
                "source_quality": i.source_quality,
                "source_row": i.source_row,
                "superseded": False,
            }
            for i, key, found in items
        ]
        if rows:
            self.session.execute(insert(movement_incidents), rows)

    def supersede_older(self, source_id: int, batch_id: int) -> tuple[int, int]:
        """Apply the vintage rule (``movement_vintages``) for a new batch; returns the
        (observations, incidents) marked superseded."""
        return supersede(self.session, source_id, batch_id)

    def vintage_standing(
        self, source_id: int, batch_id: int
    ) -> tuple[list[tuple[int, str | None]], tuple[int, int]]:
        """The newer batches of the source (id, vintage), newest first, and the (observations,
        incidents) of ``batch_id`` they supersede."""
        return newer_batches(self.session, source_id, batch_id), superseded_in(
            self.session, batch_id
        )

    def coverage_ends(self) -> list[date]:
        """Each source's latest coverage end (of the batches that state one)."""
        b = import_batches.c
        query = select(b.source_id, func.max(b.coverage_end)).where(b.coverage_end.is_not(None))
        ends = [end for _, end in self.session.execute(query.group_by(b.source_id))]
        return [end if isinstance(end, date) else date.fromisoformat(str(end)) for end in ends]

    def remove_batch(self, batch_id: int) -> bool:
        """Delete a batch and undo its superseding; False when there is no such batch."""
        return remove_batch(self.session, batch_id) is not None

    def route_attributions(self) -> set[tuple[str, str | None, str | None]]:
        """Each distinct (route key, route id, method) the stored observations carry."""
        o = observations.c
        query = select(o.route_key, o.route_id, o.route_method).where(o.route_key.is_not(None))
        return {
            (key, route_id, method)
            for key, route_id, method in self.session.execute(query.distinct())
        }

    def reattribute(self, owners: dict[str, str]) -> int:
        """Follow the alias table for every stored row whose mapping changed: an alias that
        resolves wins over a place rule or coordinates; an alias that no longer resolves
        leaves its rows on no route. An analyst's choice is never touched."""
        changed = 0
        alias, analyst = RouteMethod.ALIAS.value, RouteMethod.ANALYST.value
        for table in (observations, movement_incidents):
            c = table.c
            keys = self.session.scalars(
                select(c.route_key).where(c.route_key.is_not(None)).distinct()
            ).all()
            for key in keys:
                target = owners.get(key)
                if target is None:
                    query = update(table).where(c.route_key == key, c.route_method == alias)
                    values: dict[str, Any] = {"route_id": None, "route_method": None}
                else:
                    query = update(table).where(
                        c.route_key == key,
                        c.route_method.is_distinct_from(analyst),
                        or_(c.route_id.is_distinct_from(target), c.route_method != alias),
                    )
                    values = {"route_id": target, "route_method": alias}
                values["route_distance_km"] = None
                changed += self.session.execute(query.values(**values)).rowcount or 0
        return changed

    def set_route(
        self, kind: str, ids: Sequence[int], route_id: str | None
    ) -> tuple[int, set[str]]:
        """An analyst's attribution of stored figures (``kind`` "observation") or incidents;
        returns the rows changed and the routes they were on."""
        table = observations if kind == "observation" else movement_incidents
        chosen = table.c.id.in_(list(ids))
        before = set(self.session.scalars(select(table.c.route_id).where(chosen).distinct()))
        method = RouteMethod.ANALYST.value
        values = {"route_id": route_id, "route_method": method, "route_distance_km": None}
        changed = self.session.execute(update(table).where(chosen).values(**values)).rowcount
        return changed or 0, {r for r in before if r is not None}
