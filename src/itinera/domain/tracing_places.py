"""A last-seen or arrival place resolved through the route catalogue, for record linkage:
places are compared by catalogue id, route leg, country and distance, never by their spelling."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from itinera.domain.place import Place, PlaceKind

__all__ = ["PlaceIndex", "PlacePoint", "leg_ids"]


@dataclass(frozen=True)
class PlacePoint:
    place_id: str
    country: str | None
    lat: float | None
    lon: float | None
    legs: tuple[str, ...] = ()  # the catalogue legs touching the place ("from>to")


def _fold(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).split())


def leg_ids(legs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each place's legs (``from>to``, the two ends sorted so that a leg run either way is
    one leg): two places sharing one are the same stretch of a route."""
    found: dict[str, set[str]] = {}
    for ends in legs:
        leg = ">".join(sorted(ends))
        for place in ends:
            found.setdefault(place, set()).add(leg)
    return {place: tuple(sorted(legs)) for place, legs in found.items()}


class PlaceIndex:
    """Catalogue places found by id or by any of their names (case and accents ignored), with
    the route legs (``(from, to)`` place ids) that touch each."""

    def __init__(self, places: Iterable[Place], legs: Iterable[tuple[str, str]] = ()) -> None:
        self._by_name: dict[str, PlacePoint] = {}
        self._resolved: dict[str, PlacePoint | None] = {}  # as written: places repeat
        touching = leg_ids(legs)
        for place in places:
            country = place.id if place.kind is PlaceKind.COUNTRY else place.country
            point = PlacePoint(place.id, country, place.lat, place.lon, touching.get(place.id, ()))
            for name in (place.id, *place.name.values()):
                self._by_name.setdefault(_fold(name), point)

    def resolve(self, text: str | None) -> PlacePoint | None:
        if not text:
            return None
        try:
            return self._resolved[text]
        except KeyError:
            found = self._resolved[text] = self._by_name.get(_fold(text))
            return found
