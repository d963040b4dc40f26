"""Route geometry as GeoJSON, drawn from legs between places with coordinates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itinera.domain.place import Place
from itinera.domain.route import Route
from itinera.domain.text import localise

__all__ = ["route_features"]


def route_features(
    route: Route, places: Mapping[str, Place], language: str = "en"
) -> list[dict[str, Any]]:
    """One GeoJSON LineString feature per leg whose ends both have coordinates.

    A ``via`` place with coordinates (a sea area) bends the line through it, so that a sea
    crossing is drawn over water rather than across land. Coordinates are [lon, lat].
    """
    features: list[dict[str, Any]] = []
    for position, leg in enumerate(route.legs):
        stops = [places.get(leg.from_place), places.get(leg.via or ""), places.get(leg.to_place)]
        points = [[p.lon, p.lat] for p in stops if p is not None and p.has_coordinates]
        ends_known = all(
            (p := places.get(pid)) is not None and p.has_coordinates
            for pid in (leg.from_place, leg.to_place)
        )
        if not ends_known or len(points) < 2:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": points},
                "properties": {
                    "route_id": route.id,
                    "route_name": localise(route.name, language),
                    "group": route.group,
                    "leg": position,
                    "mode": leg.mode.value,
                    "from": leg.from_place,
                    "to": leg.to_place,
                },
            }
        )
    return features
