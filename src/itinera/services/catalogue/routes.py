"""The route catalogue as users see and edit it (C1): list, show, create, edit, delete."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from itinera.domain.geometry import route_features
from itinera.domain.place import Place
from itinera.domain.route import Leg, Route, RouteGroup, RouteLink, normalise_alias, validate_route
from itinera.services.analytics.freshness import reattribute_with_cube
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database

__all__ = [
    "RouteDetail",
    "add_leg",
    "create_route",
    "delete_route",
    "get_route",
    "list_groups",
    "list_routes",
    "remove_leg",
    "replace_leg",
    "resolve_route_name",
    "routes_geojson",
    "update_route",
]


@dataclass(frozen=True)
class RouteDetail:
    """A route with what it takes to show it: its group, links and the places of its legs."""

    route: Route
    group: RouteGroup | None
    links: list[RouteLink]
    places: dict[str, Place]

    def geojson(self, language: str = "en") -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": route_features(self.route, self.places, language),
        }


def list_routes(db: Database) -> list[Route]:
    with db.transaction() as session:
        return RouteRepository(session).list()


def list_groups(db: Database) -> dict[str, RouteGroup]:
    with db.transaction() as session:
        return RouteRepository(session).groups()


def get_route(db: Database, route_id: str) -> RouteDetail:
    with db.transaction() as session:
        repo = RouteRepository(session)
        route = repo.get(route_id)
        if route is None:
            raise NotFoundError(f"no route with id {route_id!r}", hint="see `itinera routes list`")
        return _detail(repo, route)


def routes_geojson(db: Database, language: str = "en") -> dict[str, Any]:
    """Every leg of every route as one FeatureCollection, for the overview map."""
    with db.transaction() as session:
        repo = RouteRepository(session)
        all_routes = repo.list()
        wanted = {
            pid
            for r in all_routes
            for leg in r.legs
            for pid in (leg.from_place, leg.to_place, leg.via)
            if pid
        }
        places = repo.places(wanted)
    features = [f for r in all_routes for f in route_features(r, places, language)]
    return {"type": "FeatureCollection", "features": features}


def create_route(db: Database, actor: Actor, route: Route) -> RouteDetail:
    """Store a new user route after checking every field; nothing is stored on error."""
    require(actor, Action.EDIT_ROUTES)
    route = replace(route, origin="user", edited=False, version=1)
    with db.transaction() as session:
        repo = RouteRepository(session)
        if repo.checksum(route.id) is not None:
            raise ConflictError(f"a route with id {route.id!r} already exists")
        _check(repo, route)
        repo.insert(route)
        session.flush()
        reattribute_with_cube(session)  # figures and the analytics cube follow (C2, C3)
        return _detail(repo, route)


def update_route(
    db: Database, actor: Actor, route_id: str, route: Route, expected_version: int | None
) -> RouteDetail:
    """Replace a route's definition. A catalogue route becomes ``edited`` and survives reloads.

    With ``expected_version``, a concurrent edit (stale version) is refused, not overwritten.
    """
    require(actor, Action.EDIT_ROUTES)
    with db.transaction() as session:
        repo = RouteRepository(session)
        current = repo.get(route_id)
        if current is None:
            raise NotFoundError(f"no route with id {route_id!r}")
        route = replace(route, id=route_id, origin=current.origin)
        _check(repo, route)
        edited = current.origin == "reference"
        if not repo.replace(route, expected_version=expected_version, edited=edited):
            raise ConflictError(
                f"route {route_id!r} was changed by someone else (your version "
                f"{expected_version}, stored {current.version})",
                hint="reload the route and apply your change again",
            )
        reattribute_with_cube(session)  # figures and the analytics cube follow (C2, C3)
        stored = repo.get(route_id)
        assert stored is not None
        return _detail(repo, stored)


def delete_route(db: Database, actor: Actor, route_id: str) -> None:
    """Delete a route a user created. Catalogue routes can be edited, not deleted."""
    require(actor, Action.EDIT_ROUTES)
    with db.transaction() as session:
        repo = RouteRepository(session)
        current = repo.get(route_id)
        if current is None:
            raise NotFoundError(f"no route with id {route_id!r}")
        if current.origin == "reference":
            raise ConflictError(
                f"{route_id!r} is a catalogue route: it can be edited but not deleted",
                hint="edit its legs and countries instead",
            )
        repo.delete(route_id)
        reattribute_with_cube(session)  # its figures become unmapped, and leave the cube (C3)


def resolve_route_name(db: Database, name: str) -> str | None:
    """The catalogue id for a publisher's route name (through the aliases), or None."""
    with db.transaction() as session:
        repo = RouteRepository(session)
        key = normalise_alias(name)
        if key in set(repo.route_ids()):
            return key
        return repo.alias_owner(name)


def _check(repo: RouteRepository, route: Route) -> None:
    groups = repo.groups()
    errors = validate_route(route, place_exists=repo.place_exists, group_exists=groups.__contains__)
    for index, alias in enumerate(route.aliases):
        owner = repo.alias_owner(alias)
        if owner is not None and owner != route.id:
            errors.append(
                FieldError(f"aliases[{index}]", f"{alias!r} already names route {owner!r}")
            )
    if errors:
        raise ValidationError(errors)


def _detail(repo: RouteRepository, route: Route) -> RouteDetail:
    groups = repo.groups()
    wanted = set(route.place_ids()) | {c.country for c in route.countries}
    wanted |= {leg.via for leg in route.legs if leg.via}
    return RouteDetail(
        route=route,
        group=groups.get(route.group) if route.group else None,
        links=repo.links(route.id),
        places=repo.places(wanted),
    )


def add_leg(
    db: Database, actor: Actor, route_id: str, leg: Leg, position: int | None = None
) -> RouteDetail:
    """Insert a leg at ``position`` (0-based; appended when None)."""
    current = get_route(db, route_id).route
    legs = list(current.legs)
    if position is not None and not 0 <= position <= len(legs):
        raise ValidationError.single("position", f"must be between 0 and {len(legs)}")
    legs.insert(len(legs) if position is None else position, leg)
    return update_route(db, actor, route_id, replace(current, legs=tuple(legs)), current.version)


def replace_leg(db: Database, actor: Actor, route_id: str, position: int, leg: Leg) -> RouteDetail:
    current = get_route(db, route_id).route
    legs = list(current.legs)
    _check_position(position, legs)
    legs[position] = leg
    return update_route(db, actor, route_id, replace(current, legs=tuple(legs)), current.version)


def remove_leg(db: Database, actor: Actor, route_id: str, position: int) -> RouteDetail:
    current = get_route(db, route_id).route
    legs = list(current.legs)
    _check_position(position, legs)
    del legs[position]
    return update_route(db, actor, route_id, replace(current, legs=tuple(legs)), current.version)


def _check_position(position: int, legs: list[Leg]) -> None:
    if not 0 <= position < len(legs):
        raise NotFoundError(f"no leg at position {position} (the route has {len(legs)} legs)")
