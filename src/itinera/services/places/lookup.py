"""Finding a place by what someone typed, and suggestions while they type.

The gazetteer is read from the catalogue's places and the service points' localities on each
call (a few hundred rows); nothing about the person is stored.
"""

from __future__ import annotations

from itinera.domain.errors import NotFoundError
from itinera.domain.places import KnownPlace, build_gazetteer, find_place, suggest_places
from itinera.reference.place_names import packaged_place_names
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = ["UnknownPlaceError", "gazetteer", "resolve_place", "suggest"]

MAX_TYPED = 200


class UnknownPlaceError(NotFoundError):
    """A place nobody knows; ``suggestions`` are the closest known ones (a "did you mean")."""

    def __init__(self, suggestions: list[KnownPlace]) -> None:
        super().__init__(
            "no place known by this name", hint="choose one of the suggestions or give lat and lon"
        )
        self.suggestions = suggestions


def gazetteer(db: Database) -> list[KnownPlace]:
    with db.transaction() as session:
        catalogue = [
            (p.id, p.name, p.country, p.lat, p.lon)
            for p in RouteRepository(session).places().values()
            if p.lat is not None and p.lon is not None
        ]
        localities = ServicePointRepository(session).localities()
    return build_gazetteer(catalogue, localities, packaged_place_names())


def resolve_place(db: Database, typed: str) -> KnownPlace:
    """The place named; :class:`UnknownPlaceError` with suggestions otherwise."""
    known = gazetteer(db)
    found = find_place(known, typed[:MAX_TYPED])
    if found is None:
        raise UnknownPlaceError(suggest_places(known, typed[:MAX_TYPED]))
    return found


def suggest(db: Database, typed: str, limit: int = 8) -> list[KnownPlace]:
    return suggest_places(gazetteer(db), typed[:MAX_TYPED], limit)
