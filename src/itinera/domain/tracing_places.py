"""A last-seen or arrival place resolved through the route catalogue, for record linkage:
places are compared by catalogue id, country and distance, never by their spelling."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from itinera.domain.place import Place, PlaceKind

__all__ = ["PlaceIndex", "PlacePoint"]


@dataclass(frozen=True)
class PlacePoint:
    place_id: str
    country: str | None
    lat: float | None
    lon: float | None


def _fold(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).split())


class PlaceIndex:
    """Catalogue places found by id or by any of their names (case and accents ignored)."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._by_name: dict[str, PlacePoint] = {}
        for place in places:
            country = place.id if place.kind is PlaceKind.COUNTRY else place.country
            point = PlacePoint(place.id, country, place.lat, place.lon)
            for name in (place.id, *place.name.values()):
                self._by_name.setdefault(_fold(name), point)

    def resolve(self, text: str | None) -> PlacePoint | None:
        return self._by_name.get(_fold(text)) if text else None
