"""Services near me: the nearest open service points, from the service registry (C5).

A person gives a place name (any spelling ``services/places`` knows: the catalogue's places and
the service points' localities) or coordinates their browser offered; the registry answers
active points only -- never a closed, suspended or planned one -- with their distance, and each
offer's hours are read in the place's own time zone with its public holidays ("open now, closes
at 16:00"). Nothing about the person is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from itinera.domain.access import ANONYMOUS
from itinera.domain.opening_hours import OpeningState, opening_state, parse_opening_hours
from itinera.domain.places import KnownPlace
from itinera.domain.reference import ReferenceItem
from itinera.engines.local_time import holiday_name, local_time
from itinera.services.places import lookup as places
from itinera.services.services_map import registry
from itinera.services.services_map.registry import Listing
from itinera.storage.database import Database

__all__ = ["Nearby", "NearbyListing", "service_types", "services_near"]

MAX_RESULTS = 10
MAX_KM = 300.0


@dataclass(frozen=True)
class NearbyListing:
    listing: Listing
    local_time: datetime | None  # at the service point, None for an unknown country
    holiday: str | None  # today's public holiday there, if any
    hours: tuple[OpeningState | None, ...]  # per offer; None when the hours are not understood


@dataclass(frozen=True)
class Nearby:
    listings: list[NearbyListing]
    lat: float
    lon: float
    place: KnownPlace | None  # the place named, when a name was given


def service_types(db: Database) -> list[ReferenceItem]:
    return list(registry.point_choices(db).service_types)


def _with_hours(listing: Listing, now: datetime) -> NearbyListing:
    point = listing.point
    local = local_time(point.country, now)
    holiday = holiday_name(point.country, local.date()) if local else None
    states: list[OpeningState | None] = []
    for offer in point.offers:
        weekly = parse_opening_hours(offer.opening_hours)
        states.append(
            opening_state(weekly, local, holiday is not None) if weekly and local else None
        )
    return NearbyListing(listing, local, holiday, tuple(states))


def services_near(
    db: Database,
    *,
    place: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    service_type: str | None = None,
    stale_after_days: int = 180,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Nearby:
    """Raises UnknownPlaceError (with suggestions) for a place nobody knows; coordinates win
    over a place name."""
    known = None
    if lat is None or lon is None:
        known = places.resolve_place(db, place or "")
        lat, lon = known.lat, known.lon
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
    now = clock()
    return Nearby([_with_hours(item, now) for item in found], lat, lon, known)
