"""Where people on a route need services: the demand port and its route-only default.

``DemandSource`` is the port: anything that turns a route into weighted points (flows along
legs, hotspots with many arrivals or dead and missing). ``sample_legs`` is the default used
when no movement data is present: points every ``step_km`` along each leg, each weighted by
the length it stands for times the leg's weight, plus the leg ends that are named places
(towns, border points) as hotspots.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from itinera.domain.coverage import LegLine, point_along

__all__ = ["DemandPoint", "DemandSource", "sample_legs"]

STEP_KM = 10.0
HOTSPOT_WEIGHT_KM = 50.0  # a named stop weighs as much as 50 km of its route, by default


@dataclass(frozen=True)
class DemandPoint:
    lat: float
    lon: float
    weight: float
    kind: str  # "leg" (along a leg) or "hotspot"
    label: str = ""
    leg: int | None = None


class DemandSource(Protocol):
    """Turns a route into demand points. Implementations: ``sample_legs`` (default),
    the incidents adapter in ``services.services_map.demand`` when movement data exists."""

    def __call__(self, route_id: str, legs: Sequence[LegLine]) -> list[DemandPoint]: ...


def sample_legs(
    legs: Sequence[LegLine],
    *,
    step_km: float = STEP_KM,
    leg_weights: Mapping[int, float] | None = None,
    hotspots: Mapping[str, tuple[float, float]] | None = None,
) -> list[DemandPoint]:
    """Points at the middle of every ``step_km`` stretch of every leg, plus hotspots.

    ``hotspots`` maps a place label to its (lat, lon): typically the named localities and
    border points the legs join. Each weighs ``HOTSPOT_WEIGHT_KM`` times the mean leg weight.
    """
    points: list[DemandPoint] = []
    weights = leg_weights or {}
    for leg in legs:
        length = leg.length_km()
        count = max(1, math.ceil(length / step_km))
        stretch = length / count
        weight = weights.get(leg.position, 1.0)
        for i in range(count):
            lat, lon = point_along(leg, (i + 0.5) * stretch)
            points.append(DemandPoint(lat, lon, stretch * weight, "leg", leg=leg.position))
    mean = sum(weights.values()) / len(weights) if weights else 1.0
    for label, (lat, lon) in (hotspots or {}).items():
        points.append(DemandPoint(lat, lon, HOTSPOT_WEIGHT_KM * mean, "hotspot", label))
    return points
