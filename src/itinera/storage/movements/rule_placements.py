"""Stored figures a rule placed on a route (C2, issue 11): read them, move them, and make again
the monthly figures derived from incidents that moved.

Only figures whose route came from a place rule, from coordinates, or from nothing at all are
read: a publisher's route (its label, an alias of it) and an analyst's choice are never moved
by a change of the rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from itinera.domain.observation import Incident, IncidentType
from itinera.domain.route_attribution import BY_RULE, Attribution, Placement, RouteMethod
from itinera.storage.movements.tables import (
    import_batches,
    movement_incidents,
    movement_sources,
    observations,
)

__all__ = ["RulePlacementRepository"]

_ANALYST = RouteMethod.ANALYST.value
# (route name, country, month start, correction): the figures one derived group makes
DerivedGroup = tuple[str | None, str | None, date, bool]


def _ruled(method: Any) -> ColumnElement[bool]:
    return or_(method.is_(None), method.in_([m.value for m in BY_RULE]))


def _attribution(route_id: str | None, method: str | None, km: float | None) -> Attribution:
    return Attribution(route_id, RouteMethod(method) if method else None, km)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class RulePlacementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def holds_figures(self) -> bool:
        """Whether any figure or incident is stored (two index seeks)."""
        return any(
            self.session.scalar(select(table.c.id).limit(1)) is not None
            for table in (observations, movement_incidents)
        )

    def figure_placements(self) -> list[Placement]:
        """Published figures (not derived) by source and place, as a rule placed them."""
        o, s = observations.c, movement_sources.c
        keys = (s.key, o.route_key, o.route_name, o.country, o.place, o.route_id, o.route_method)
        query = (
            select(*keys, func.max(o.route_distance_km), func.count())
            .join(movement_sources, movement_sources.c.id == o.source_id)
            .where(o.derived.is_(False), _ruled(o.route_method))
            .group_by(*keys)
        )
        return [
            Placement(r[0], r[1], r[2], r[3], r[4], _attribution(r[5], r[6], r[7]), rows=r[8])
            for r in self.session.execute(query)
        ]

    def move_figures(self, moves: Sequence[tuple[Placement, Attribution]]) -> int:
        """Put the published figures of each placement on its new attribution, in one pass
        over the figures (a statement per placement scanned them all once each: hours on a
        10 M store); returns the rows moved."""
        if not moves:
            return 0
        # Created and dropped inside the transaction: a failure rolls both back on either engine.
        connection = self.session.connection()
        _MOVES.create(connection)
        keys = select(movement_sources.c.key, movement_sources.c.id)
        sources = {key: id_ for key, id_ in self.session.execute(keys)}
        connection.execute(insert(_MOVES), [_move_row(sources, p, to) for p, to in moves])
        o, m = observations.c, _MOVES.c
        query = (
            update(observations)
            .where(
                o.source_id == m.source_id,
                o.derived.is_(False),
                *(func.coalesce(o[key], _NULL) == m[key] for key in _PLACE_KEYS),
            )
            .values(route_id=m.to_route, route_method=m.to_method, route_distance_km=m.to_km)
        )
        moved = int(connection.execute(query).rowcount or 0)
        _MOVES.drop(connection)
        return moved

    def incident_placements(self) -> Iterator[Placement]:
        """Every incident a rule placed (or left on no route), with its coordinates."""
        i, s = movement_incidents.c, movement_sources.c
        query = (
            select(
                s.key,
                i.route_key,
                i.route_name,
                i.country,
                i.location,
                i.route_id,
                i.route_method,
                i.route_distance_km,
                i.lat,
                i.lon,
                i.id,
                i.batch_id,
            )
            .join(movement_sources, movement_sources.c.id == i.source_id)
            .where(_ruled(i.route_method))
            .order_by(i.id)
        )
        for r in self.session.execute(query):
            found = _attribution(r[5], r[6], r[7])
            yield Placement(r[0], r[1], r[2], r[3], r[4], found, r[8], r[9], r[10], r[11])

    def move_incidents(self, moves: Sequence[tuple[int, Attribution]]) -> None:
        """Put each incident (by id) on its new attribution."""
        if not moves:
            return
        query = (
            update(movement_incidents)
            .where(movement_incidents.c.id == bindparam("incident_id"))
            .values(
                route_id=bindparam("to_route"),
                route_method=bindparam("to_method"),
                route_distance_km=bindparam("to_km"),
            )
        )
        rows = [
            {
                "incident_id": incident,
                "to_route": to.route_id,
                "to_method": to.method.value if to.method else None,
                "to_km": to.distance_km,
            }
            for incident, to in moves
        ]
        self.session.connection().execute(query, rows)

    def batch_source_id(self, batch_id: int) -> int:
        query = select(import_batches.c.source_id).where(import_batches.c.id == batch_id)
        return int(self.session.scalar(query) or 0)

    def batch_incidents(self, batch_id: int) -> list[tuple[Incident, Attribution]]:
        """The batch's incidents, with what their monthly figures are made of."""
        i = movement_incidents.c
        query = select(
            i.record_id,
            i.incident_type,
            i.date,
            i.dead,
            i.missing,
            i.survivors,
            i.females,
            i.males,
            i.children,
            i.route_name,
            i.country,
            i.related_ids,
            i.route_id,
            i.route_method,
            i.route_distance_km,
        ).where(i.batch_id == batch_id)
        return [
            (
                Incident(
                    r[0],
                    IncidentType(r[1]),
                    None if r[2] is None else _day(r[2]),
                    r[3],
                    r[4],
                    survivors=r[5],
                    females=r[6],
                    males=r[7],
                    children=r[8],
                    route_name=r[9],
                    country=r[10],
                    related_ids=tuple(r[11] or ()),
                ),
                _attribution(r[12], r[13], r[14]),
            )
            for r in self.session.execute(query.order_by(i.id))
        ]

    def drop_derived(self, batch_id: int) -> tuple[set[DerivedGroup], set[date], set[str]]:
        """Delete the batch's derived figures, except the groups an analyst placed by hand;
        returns those kept groups, the months that were superseded and the routes left."""
        o = observations.c
        query = select(
            o.id, o.route_name, o.country, o.period_start, o.correction, o.route_method
        ).where(o.batch_id == batch_id, o.derived.is_(True))
        rows = self.session.execute(query).all()
        kept = {(r[1], r[2], _day(r[3]), bool(r[4])) for r in rows if r[5] == _ANALYST}
        doomed = [r[0] for r in rows if (r[1], r[2], _day(r[3]), bool(r[4])) not in kept]
        superseded_months = select(o.period_start).where(
            o.batch_id == batch_id, o.derived.is_(True), o.superseded.is_(True)
        )
        months = {_day(d) for d in self.session.scalars(superseded_months.distinct())}
        routes = select(o.route_id).where(o.batch_id == batch_id, o.derived.is_(True))
        left = {r for r in self.session.scalars(routes.distinct()) if r is not None}
        for start in range(0, len(doomed), 5000):
            chunk = doomed[start : start + 5000]
            self.session.execute(delete(observations).where(o.id.in_(chunk)))
        return kept, months, left

    def supersede_months(self, batch_id: int, months: set[date]) -> None:
        """Mark again the batch's derived figures of months a newer batch supersedes."""
        if months:
            o = observations.c
            query = update(observations).where(
                o.batch_id == batch_id, o.derived.is_(True), o.period_start.in_(sorted(months))
            )
            self.session.execute(query.values(superseded=True))


# Where a stored figure was, keyed null-safely: NULL becomes a character no name holds, so the
# join is a plain equality both engines can hash or look up in the moves' index.
_NULL = "\x1f"
_PLACE_KEYS = ("route_key", "route_name", "country", "place", "route_id", "route_method")
_MOVES = Table(
    "itinera_figure_moves",
    MetaData(),
    Column("source_id", Integer, nullable=False),
    *(Column(key, Text, nullable=False) for key in _PLACE_KEYS),
    Column("to_route", String(64)),
    Column("to_method", String(32)),
    Column("to_km", Float),
    Index("itinera_figure_moves_place", "source_id", *_PLACE_KEYS),
    prefixes=["TEMPORARY"],
)


def _move_row(sources: dict[str, int], placement: Placement, to: Attribution) -> dict[str, Any]:
    was = placement.found
    found = (
        placement.route_key,
        placement.route_name,
        placement.country,
        placement.place,
        was.route_id,
        was.method.value if was.method else None,
    )
    row: dict[str, Any] = {
        k: _NULL if v is None else v for k, v in zip(_PLACE_KEYS, found, strict=True)
    }
    return row | {
        "source_id": sources[placement.source],
        "to_route": to.route_id,
        "to_method": to.method.value if to.method else None,
        "to_km": to.distance_km,
    }
