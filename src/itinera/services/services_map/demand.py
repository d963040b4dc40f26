"""Route geometry and demand for the complementarity and siting analyses.

Demand comes through the ``DemandSource`` port (``domain.demand``). The default samples the
route's legs and adds its named stops as hotspots, then the analytics capability's
dead-and-missing grid cells near the route as risk hotspots (each person weighing
``RISK_WEIGHT_KM`` km of route); ``incident_adapter`` is the seam tests replace.

The cells come as the analytics capability publishes them *to the actor asking*: the public
gets the suppressed 0.5° grid, where a small count is hidden (issue 10, item 6); such a cell
weighs as ``SUPPRESSED_PEOPLE`` people and is labelled without its count, so neither the
weights nor the labels of an answer reveal it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from itinera.domain.access import Actor
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.coverage import LegLine
from itinera.domain.demand import DemandPoint, sample_legs
from itinera.domain.errors import ItineraError, NotFoundError
from itinera.domain.geometry import route_features
from itinera.domain.place import Place, PlaceKind
from itinera.domain.route import Route
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database

__all__ = ["RouteGeometry", "demand_for", "incident_adapter", "route_geometry"]

log = logging.getLogger(__name__)
HOTSPOT_KINDS = (PlaceKind.LOCALITY, PlaceKind.BORDER_POINT)


@dataclass(frozen=True)
class RouteGeometry:
    route: Route
    legs: tuple[LegLine, ...]
    hotspots: dict[str, tuple[float, float]]  # named stops (towns, border points) → (lat, lon)
    features: list[dict[str, Any]]  # GeoJSON legs, for maps


def route_geometry(db: Database, route_id: str) -> RouteGeometry:
    with db.transaction() as session:
        repo = RouteRepository(session)
        route = repo.get(route_id)
        if route is None:
            raise NotFoundError(f"no route with id {route_id!r}", hint="see `itinera routes list`")
        wanted = {p for leg in route.legs for p in (leg.from_place, leg.to_place, leg.via) if p}
        places: dict[str, Place] = repo.places(wanted)
    features = route_features(route, places)
    legs = tuple(
        LegLine(
            route.id,
            f["properties"]["leg"],
            f["properties"]["mode"],
            tuple((lat, lon) for lon, lat in f["geometry"]["coordinates"]),
            f["properties"]["from"],
            f["properties"]["to"],
        )
        for f in features
    )
    hotspots = {
        place.name.get("en", place.id): (place.lat, place.lon)
        for place in places.values()
        if place.kind in HOTSPOT_KINDS and place.lat is not None and place.lon is not None
    }
    return RouteGeometry(route, legs, hotspots, features)


IncidentPoints = Callable[[Database, str, Actor, int], Iterable[tuple[Any, ...]]]


RISK_WEIGHT_KM = 5.0  # one person dead or missing weighs as much as 5 km of route
SUPPRESSED_PEOPLE = 2.0  # a hidden small cell (1 to threshold - 1), whatever its count


def _analytics_points(
    db: Database, route_id: str, actor: Actor, threshold: int
) -> list[tuple[float, float, float, str]]:
    """Dead and missing per grid cell near the route, from the analytics capability (C3),
    as the actor may see them."""
    from itinera.services.analytics.points import incident_points

    collection = incident_points(db, actor, route_id=route_id, threshold=threshold)
    found = []
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        if feature["properties"].get("suppressed"):
            label = f"fewer than {threshold} dead and missing"
            found.append((lat, lon, SUPPRESSED_PEOPLE * RISK_WEIGHT_KM, label))
            continue
        count = feature["properties"].get("dead_and_missing")
        if count:
            found.append((lat, lon, count * RISK_WEIGHT_KM, f"{count} dead and missing"))
    return found


def incident_adapter() -> IncidentPoints | None:
    """Where incident hotspots come from: ``(lat, lon, weight[, label])`` per point near a
    route, given ``(db, route_id, actor, threshold)`` (None would mean route-only demand)."""
    return _analytics_points


def demand_for(
    db: Database, geometry: RouteGeometry, actor: Actor, threshold: int = DEFAULT_THRESHOLD
) -> list[DemandPoint]:
    """Route-only demand (legs + named stops), plus incident hotspots when available."""
    points = sample_legs(geometry.legs, hotspots=geometry.hotspots)
    incidents = incident_adapter()
    if incidents is not None:
        added = 0
        try:
            items = list(incidents(db, geometry.route.id, actor, threshold))
        except ItineraError as error:  # no movement data yet, or a window without figures
            log.info("no incident hotspots for %s (%s)", geometry.route.id, error.code)
            items = []
        for item in items:
            lat, lon, weight, *rest = item
            points.append(
                DemandPoint(
                    float(lat),
                    float(lon),
                    float(weight),
                    "hotspot",
                    str(rest[0]) if rest else "incidents",
                )
            )
            added += 1
        log.info("demand for %s: %d incident hotspots", geometry.route.id, added)
    return points
