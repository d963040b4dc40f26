"""Places along routes: countries, admin areas, localities, border points, sea areas."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from itinera.domain.text import LocalisedText

__all__ = ["COUNTRY_CODE", "Place", "PlaceKind", "check_coordinates"]

COUNTRY_CODE = re.compile(r"^[A-Z]{3}$")
"""ISO 3166-1 alpha-3: the id of a country place."""


class PlaceKind(StrEnum):
    COUNTRY = "country"
    ADMIN_AREA = "admin-area"
    LOCALITY = "locality"
    BORDER_POINT = "border-point"
    SEA_AREA = "sea-area"


@dataclass(frozen=True)
class Place:
    """A place. Countries use their ISO alpha-3 code as id; other places a kebab-case id."""

    id: str
    kind: PlaceKind
    name: LocalisedText = field(default_factory=dict)
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


def check_coordinates(lat: float | None, lon: float | None) -> str | None:
    """Return why a coordinate pair is unusable, or ``None`` when it is fine."""
    if (lat is None) != (lon is None):
        return "latitude and longitude go together"
    if lat is None or lon is None:
        return None
    if not -90 <= lat <= 90:
        return f"latitude {lat} is outside -90..90"
    if not -180 <= lon <= 180:
        return f"longitude {lon} is outside -180..180"
    return None
