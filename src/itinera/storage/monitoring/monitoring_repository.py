"""Risk observations and field notes (C11): the only SQL of field monitoring."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update

from itinera.domain.monitoring import Confidentiality, FieldNote, RiskObservation
from itinera.storage.database import UnitOfWork
from itinera.storage.markers import aggregate_marker
from itinera.storage.monitoring.tables import (
    field_import_batches,
    field_notes,
    risk_observations,
)

__all__ = ["MonitoringRepository"]

_OBSERVATION_FIELDS = (
    "route_id",
    "incident_type",
    "perpetrator",
    "date_from",
    "date_to",
    "place",
    "latitude",
    "longitude",
    "leg",
    "persons",
    "sex",
    "age_group",
    "source_type",
    "reliability",
    "credibility",
    "description",
    "organisation_id",
    "batch_id",
    "smuggler_used",
    "smuggler_cost_usd",
)


class MonitoringRepository:
    def __init__(self, session: UnitOfWork) -> None:
        self.session = session

    def add_observation(self, observation: RiskObservation, created_by: str) -> int:
        values = {name: getattr(observation, name) for name in _OBSERVATION_FIELDS}
        values["confidentiality"] = observation.confidentiality.value
        result = self.session.execute(
            insert(risk_observations).values(created_by=created_by, **values)
        )
        return int(result.inserted_primary_key[0])

    def add_note(self, note: FieldNote) -> int:
        result = self.session.execute(
            insert(field_notes).values(
                route_id=note.route_id,
                date_from=note.date_from,
                date_to=note.date_to,
                place=note.place,
                tags=list(note.tags),
                text=note.text,
                confidentiality=note.confidentiality.value,
                organisation_id=note.organisation_id,
                batch_id=note.batch_id,
                created_by=note.author,
            )
        )
        return int(result.inserted_primary_key[0])

    def observations(
        self,
        route_id: str | None,
        levels: Iterable[Confidentiality],
        first: date | None = None,
        last: date | None = None,
    ) -> list[RiskObservation]:
        """Observations of a route whose period overlaps [first, last], at the levels given."""
        t = risk_observations
        read = [t.c.id, t.c.confidentiality, *(t.c[name] for name in _OBSERVATION_FIELDS)]
        query = select(*read).where(t.c.confidentiality.in_([c.value for c in levels]))
        if route_id is not None:
            query = query.where(t.c.route_id == route_id)
        if first is not None:
            query = query.where(t.c.date_to >= first)
        if last is not None:
            query = query.where(t.c.date_from <= last)
        rows = self.session.execute(query.order_by(t.c.date_from, t.c.id)).all()
        return [_observation(row) for row in rows]

    def notes(
        self,
        route_id: str | None,
        levels: Iterable[Confidentiality],
        first: date | None = None,
        last: date | None = None,
    ) -> list[FieldNote]:
        t = field_notes
        query = select(t).where(t.c.confidentiality.in_([c.value for c in levels]))
        if route_id is not None:
            query = query.where(t.c.route_id == route_id)
        if first is not None:
            query = query.where(t.c.date_to >= first)
        if last is not None:
            query = query.where(t.c.date_from <= last)
        rows = self.session.execute(query.order_by(t.c.date_from, t.c.id)).all()
        return [_note(row) for row in rows]

    def batch_with(self, file_sha256: str, reader: str, route_id: str) -> int | None:
        """The batch that imported this very file with this reader and route, if any."""
        b = field_import_batches.c
        found = self.session.execute(
            select(b.id).where(
                b.file_sha256 == file_sha256, b.reader == reader, b.route_id == route_id
            )
        ).first()
        return None if found is None else int(found[0])

    def add_batch(
        self, file_sha256: str, reader: str, route_id: str, file_name: str, by: str
    ) -> int:
        """A new batch number for entries imported from one file (above any number already
        given to entries, for stores that imported before batches were kept)."""
        t = risk_observations
        row = self.session.execute(select(func.max(t.c.batch_id))).first()
        latest = self.session.execute(select(func.max(field_import_batches.c.id))).scalar()
        batch = max(int(row[0] or 0) if row else 0, int(latest or 0)) + 1
        self.session.execute(
            insert(field_import_batches).values(
                id=batch,
                file_sha256=file_sha256,
                reader=reader,
                route_id=route_id,
                file_name=file_name[:255],
                added=0,
                imported_by=by,
            )
        )
        return batch

    def count_batch(self, batch_id: int, added: int) -> None:
        b = field_import_batches
        self.session.execute(update(b).where(b.c.id == batch_id).values(added=added))

    def last_change(self) -> str:
        """A marker that changes whenever an entry is added or removed (for stored reports)."""
        return "/".join(aggregate_marker(self.session, t) for t in (risk_observations, field_notes))


def _observation(row: Any) -> RiskObservation:
    values = {name: getattr(row, name) for name in _OBSERVATION_FIELDS}
    return RiskObservation(
        id=row.id, confidentiality=Confidentiality(row.confidentiality), **values
    )


def _note(row: Any) -> FieldNote:
    return FieldNote(
        id=row.id,
        route_id=row.route_id,
        date_from=row.date_from,
        date_to=row.date_to,
        place=row.place,
        tags=tuple(row.tags or ()),
        text=row.text,
        confidentiality=Confidentiality(row.confidentiality),
        organisation_id=row.organisation_id,
        batch_id=row.batch_id,
        author=row.created_by,
    )
