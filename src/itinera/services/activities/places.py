"""Activities at places (C6 feeding C5): a service point shows the activities delivered there,
and two organisations doing the same thing at one place are flagged.

"There" is within ``radius_km`` of the point (the service registry's duplicate radius by
default): 3W files give coordinates of a camp or a town, not of a door. "The same thing" is a
shared service type (from the sector mapping) at one place, by different organisations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from itinera.domain.access import Action, Actor, require
from itinera.domain.activity import Activity
from itinera.domain.spatial import haversine_km
from itinera.services.activities.reporting import list_activities
from itinera.services.services_map.registry import get_point
from itinera.storage.database import Database

__all__ = ["SamePlaceOverlap", "activities_at_point", "duplicated_at_point", "overlaps"]


@dataclass(frozen=True)
class SamePlaceOverlap:
    """Several organisations offering one service type at one place."""

    service_type: str
    lat: float
    lon: float
    organisation_ids: tuple[int, ...]
    activity_ids: tuple[int, ...]


def activities_at_point(
    db: Database, actor: Actor, point_id: int, *, radius_km: float, stale_after_days: int = 365
) -> list[Activity]:
    """The activities with coordinates within ``radius_km`` of service point ``point_id``."""
    require(actor, Action.VIEW_ACTIVITIES)
    point = get_point(db, actor, point_id, stale_after_days=stale_after_days).point
    if point.lat is None or point.lon is None:
        return []
    found = list_activities(db, actor, countries=[point.country] if point.country else None)
    return [
        a
        for a in found
        if a.lat is not None
        and a.lon is not None
        and haversine_km(point.lat, point.lon, a.lat, a.lon) <= radius_km
    ]


def duplicated_at_point(activities: list[Activity]) -> dict[str, tuple[int, ...]]:
    """Among the activities delivered at one service point, each service type offered by two
    or more organisations, with those organisations: the flag the point's page shows."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for activity in activities:
        for service_type in activity.service_types:
            by_type[service_type].add(activity.organisation_id)
    return {t: tuple(sorted(orgs)) for t, orgs in sorted(by_type.items()) if len(orgs) > 1}


def overlaps(db: Database, actor: Actor, *, country: str | None = None) -> list[SamePlaceOverlap]:
    """Places (coordinates to about 100 m) where two or more organisations offer the same
    service type: possible duplication for a coordinator to look at."""
    found = list_activities(db, actor, countries=[country] if country else None)
    groups: dict[tuple[str, float, float], list[Activity]] = defaultdict(list)
    for activity in found:
        if activity.lat is None or activity.lon is None:
            continue
        place = (round(activity.lat, 3), round(activity.lon, 3))
        for service_type in activity.service_types:
            groups[(service_type, *place)].append(activity)
    result = []
    for (service_type, lat, lon), members in sorted(groups.items()):
        organisations = tuple(sorted({a.organisation_id for a in members}))
        if len(organisations) > 1:
            result.append(
                SamePlaceOverlap(
                    service_type,
                    lat,
                    lon,
                    organisations,
                    tuple(sorted(a.id or 0 for a in members)),
                )
            )
    return result
