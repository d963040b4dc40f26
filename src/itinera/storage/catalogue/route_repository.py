"""Read and write routes, groups, links and places (C1) as domain objects."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from itinera.domain.place import Place, PlaceKind
from itinera.domain.route import (
    CountryRole,
    Leg,
    LinkKind,
    Mode,
    Route,
    RouteCountry,
    RouteGroup,
    RouteLink,
    normalise_alias,
)
from itinera.storage.catalogue.tables import (
    legs,
    places,
    route_aliases,
    route_countries,
    route_groups,
    route_links,
    routes,
)

__all__ = ["RouteRepository"]


class RouteRepository:
    """Route catalogue persistence over one session (the caller owns the transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- places --------------------------------------------------------------------------

    def places(self, ids: Iterable[str] | None = None) -> dict[str, Place]:
        query = select(places)
        if ids is not None:
            query = query.where(places.c.id.in_(list(ids)))
        return {row.id: _place(row) for row in self.session.execute(query)}

    def place_exists(self, place_id: str) -> bool:
        found = self.session.execute(select(places.c.id).where(places.c.id == place_id)).first()
        return found is not None

    def save_place(self, place: Place, origin: str = "reference") -> None:
        values = {
            "kind": place.kind.value,
            "country": place.country,
            "names": dict(place.name),
            "lat": place.lat,
            "lon": place.lon,
            "origin": origin,
        }
        if self.place_exists(place.id):
            self.session.execute(update(places).where(places.c.id == place.id).values(values))
        else:
            self.session.execute(insert(places).values(id=place.id, **values))

    # -- groups and links ----------------------------------------------------------------

    def groups(self) -> dict[str, RouteGroup]:
        rows = self.session.execute(select(route_groups).order_by(route_groups.c.id))
        return {r.id: RouteGroup(r.id, r.names, r.description) for r in rows}

    def save_group(self, group: RouteGroup) -> None:
        values = {"names": dict(group.name), "description": dict(group.description)}
        exists = self.session.execute(
            select(route_groups.c.id).where(route_groups.c.id == group.id)
        ).first()
        if exists:
            self.session.execute(
                update(route_groups).where(route_groups.c.id == group.id).values(values)
            )
        else:
            self.session.execute(insert(route_groups).values(id=group.id, **values))

    def links(self, route_id: str | None = None) -> builtins.list[RouteLink]:
        query = select(route_links).order_by(route_links.c.id)
        if route_id is not None:
            query = query.where(
                (route_links.c.from_route == route_id) | (route_links.c.to_route == route_id)
            )
        return [
            RouteLink(r.from_route, r.to_route, LinkKind(r.kind), r.source, r.note)
            for r in self.session.execute(query)
        ]

    def save_link(self, link: RouteLink, origin: str = "reference") -> bool:
        """Insert the link unless the same pair and kind is stored; True when inserted."""
        exists = self.session.execute(
            select(route_links.c.id).where(
                route_links.c.from_route == link.from_route,
                route_links.c.to_route == link.to_route,
                route_links.c.kind == link.kind.value,
            )
        ).first()
        if exists:
            return False
        self.session.execute(
            insert(route_links).values(
                from_route=link.from_route,
                to_route=link.to_route,
                kind=link.kind.value,
                source=link.source,
                note=dict(link.note),
                origin=origin,
            )
        )
        return True

    # -- routes --------------------------------------------------------------------------

    def route_ids(self) -> builtins.list[str]:
        return list(self.session.scalars(select(routes.c.id).order_by(routes.c.id)))

    def exists(self, route_id: str) -> bool:
        """One probe of the primary key (every analytics question checks its route)."""
        return self.session.scalar(select(routes.c.id).where(routes.c.id == route_id)) is not None

    def get(self, route_id: str) -> Route | None:
        found = self.list([route_id])
        return found[0] if found else None

    def list(self, ids: Iterable[str] | None = None) -> builtins.list[Route]:
        query = select(routes).order_by(routes.c.id)
        wanted = None if ids is None else list(ids)
        if wanted is not None:
            query = query.where(routes.c.id.in_(wanted))
        rows = list(self.session.execute(query))
        keys = [r.id for r in rows]
        children = self._children(keys)
        return [_route(row, *children(row.id)) for row in rows]

    def checksum(self, route_id: str) -> tuple[str | None, bool] | None:
        """The stored catalogue checksum and the ``edited`` flag, or None when absent."""
        row = self.session.execute(
            select(routes.c.reference_checksum, routes.c.edited).where(routes.c.id == route_id)
        ).first()
        return (row.reference_checksum, row.edited) if row else None

    def insert(self, route: Route, *, checksum: str | None = None) -> None:
        self.session.execute(
            insert(routes).values(
                id=route.id,
                **_route_values(route),
                origin=route.origin,
                edited=route.edited,
                reference_checksum=checksum,
                version=1,
            )
        )
        self._write_children(route)

    def replace(
        self,
        route: Route,
        *,
        expected_version: int | None,
        edited: bool,
        checksum: str | None = None,
    ) -> bool:
        """Overwrite a stored route; False when ``expected_version`` is stale."""
        condition = routes.c.id == route.id
        if expected_version is not None:
            condition = condition & (routes.c.version == expected_version)
        values = {
            **_route_values(route),
            "edited": edited,
            "version": routes.c.version + 1,
            "updated_at": func.now(),
        }
        if checksum is not None:
            values["reference_checksum"] = checksum
        result = self.session.execute(update(routes).where(condition).values(values))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        for table in (route_countries, legs, route_aliases):
            self.session.execute(delete(table).where(table.c.route_id == route.id))
        self._write_children(route)
        return True

    def delete(self, route_id: str) -> bool:
        for table in (route_countries, legs, route_aliases):
            self.session.execute(delete(table).where(table.c.route_id == route_id))
        self.session.execute(
            delete(route_links).where(
                (route_links.c.from_route == route_id) | (route_links.c.to_route == route_id)
            )
        )
        result = self.session.execute(delete(routes).where(routes.c.id == route_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- aliases -------------------------------------------------------------------------

    def alias_owner(self, name: str) -> str | None:
        """The route a publisher's route name maps to, or None when it is not catalogued."""
        return self.session.scalar(
            select(route_aliases.c.route_id).where(
                route_aliases.c.alias_key == normalise_alias(name)
            )
        )

    def alias_owners(self) -> dict[str, str]:
        """Every alias key with its route id (for importers resolving many rows)."""
        rows = self.session.execute(select(route_aliases.c.alias_key, route_aliases.c.route_id))
        return {key: route_id for key, route_id in rows}

    # -- internals -----------------------------------------------------------------------

    def _write_children(self, route: Route) -> None:
        if route.countries:
            self.session.execute(
                insert(route_countries),
                [
                    {
                        "route_id": route.id,
                        "country": c.country,
                        "role": c.role.value,
                        "position": i,
                    }
                    for i, c in enumerate(route.countries)
                ],
            )
        if route.legs:
            self.session.execute(
                insert(legs),
                [
                    {
                        "route_id": route.id,
                        "position": i,
                        "from_place": leg.from_place,
                        "to_place": leg.to_place,
                        "mode": leg.mode.value,
                        "via_place": leg.via,
                    }
                    for i, leg in enumerate(route.legs)
                ],
            )
        if route.aliases:
            self.session.execute(
                insert(route_aliases),
                [
                    {
                        "route_id": route.id,
                        "alias": alias,
                        "alias_key": normalise_alias(alias),
                        "origin": route.origin,
                    }
                    for alias in route.aliases
                ],
            )

    def _children(self, keys: builtins.list[str]) -> Any:
        countries: dict[str, builtins.list[RouteCountry]] = {k: [] for k in keys}
        route_legs: dict[str, builtins.list[Leg]] = {k: [] for k in keys}
        aliases: dict[str, builtins.list[str]] = {k: [] for k in keys}
        if keys:
            for r in self.session.execute(
                select(route_countries)
                .where(route_countries.c.route_id.in_(keys))
                .order_by(route_countries.c.route_id, route_countries.c.position)
            ):
                countries[r.route_id].append(RouteCountry(r.country, CountryRole(r.role)))
            for r in self.session.execute(
                select(legs)
                .where(legs.c.route_id.in_(keys))
                .order_by(legs.c.route_id, legs.c.position)
            ):
                route_legs[r.route_id].append(
                    Leg(r.from_place, r.to_place, Mode(r.mode), r.via_place)
                )
            for r in self.session.execute(
                select(route_aliases)
                .where(route_aliases.c.route_id.in_(keys))
                .order_by(route_aliases.c.id)
            ):
                aliases[r.route_id].append(r.alias)
        return lambda key: (countries[key], route_legs[key], aliases[key])


def _route_values(route: Route) -> dict[str, Any]:
    return {
        "names": dict(route.name),
        "description": dict(route.description),
        "group_id": route.group,
        "sources": list(route.sources),
    }


def _route(
    row: Any, countries: list[RouteCountry], route_legs: list[Leg], aliases: list[str]
) -> Route:
    return Route(
        id=row.id,
        name=row.names,
        group=row.group_id,
        description=row.description,
        sources=tuple(row.sources),
        aliases=tuple(aliases),
        countries=tuple(countries),
        legs=tuple(route_legs),
        origin=row.origin,
        edited=row.edited,
        version=row.version,
    )


def _place(row: Any) -> Place:
    return Place(
        id=row.id,
        kind=PlaceKind(row.kind),
        name=row.names,
        country=row.country,
        lat=row.lat,
        lon=row.lon,
    )
