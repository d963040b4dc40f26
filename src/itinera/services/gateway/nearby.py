"""Services near me: the nearest open service points, from the service registry (C5).

A person gives a place name (a place of the route catalogue or a service point's locality) or
coordinates their browser offered; the registry answers active points only -- never a closed,
suspended or planned one -- with their distance. Nothing about the person is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from itinera.domain.access import ANONYMOUS
from itinera.domain.reference import ReferenceItem
from itinera.services.services_map import registry
from itinera.services.services_map.registry import Listing
from itinera.storage.database import Database

__all__ = ["Nearby", "service_types", "services_near"]

MAX_RESULTS = 10
MAX_KM = 300.0


@dataclass(frozen=True)
class Nearby:
    listings: list[Listing]
    lat: float
    lon: float


def service_types(db: Database) -> list[ReferenceItem]:
    return list(registry.point_choices(db).service_types)


def services_near(
    db: Database,
    *,
    place: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    service_type: str | None = None,
    stale_after_days: int = 180,
) -> Nearby:
    """Raises NotFoundError for a place nobody knows; coordinates win over a place name."""
    if lat is None or lon is None:
        lat, lon = registry.resolve_place(db, place or "")
    found = registry.near(
        db,
        ANONYMOUS,
        lat,
        lon,
        service_type=service_type or None,
        limit=MAX_RESULTS,
        stale_after_days=stale_after_days,
        max_km=MAX_KM,
    )
    return Nearby(found, lat, lon)
