"""How a figure gets its route: the publisher's label, an alias, a place rule, coordinates.

Order (decision 0020): a publisher's route name that is an alias (or id) of a catalogue route
wins; a route the reader itself knows (``publisher``) comes next; then a place rule of the
figure's source (a country, optionally narrowed by place names: arrivals in Italy by sea →
Central Mediterranean); then, for incidents with coordinates and either no route name or a
name the rules list as a stretch shared by several routes (MMP's "Sahara Desert crossing"),
the nearest leg of the catalogue within ``max_distance_km``. A publisher's name outside the
catalogue (US–Mexico border) is never moved onto a route by coordinates. An analyst's choice
(``analyst``) is never overwritten.

Distances are to the legs as drawn on the map (``geometry.route_features``: a sea crossing
bends through its sea area), on an equirectangular projection centred on the point: within a
few hundred kilometres the error is well under the distance threshold's own precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from itinera.domain.earth import KM_PER_DEGREE
from itinera.domain.geometry import route_features
from itinera.domain.place import Place
from itinera.domain.route import Route, normalise_alias

__all__ = [
    "Attribution",
    "AttributionRules",
    "LegSegment",
    "PlaceRule",
    "Placement",
    "RouteAttributor",
    "RouteMethod",
    "leg_segments",
    "nearest_route",
]


class RouteMethod(StrEnum):
    ALIAS = "alias"  # the publisher's route name is an alias (or the id) of a catalogue route
    PUBLISHER = "publisher"  # the reader knew the catalogue route from the file's own layout
    PLACE_RULE = "place-rule"  # a rule of the source in the reference data (country, places)
    COORDINATES = "coordinates"  # the nearest catalogue leg to the incident's coordinates
    ANALYST = "analyst"  # set by hand; never overwritten by a re-attribution


@dataclass(frozen=True)
class Attribution:
    route_id: str | None
    method: RouteMethod | None
    distance_km: float | None = None

    @property
    def on_route(self) -> bool:
        return self.route_id is not None

    @classmethod
    def read_back(
        cls, route_id: str | None, method: str | None, distance_km: float | None
    ) -> Attribution | None:
        """The attribution Itinera's own export wrote for a figure, kept when the figure is
        read back (``None``: the file did not say; the figure is attributed as any other). An
        analyst's choice of no route is kept too."""
        if method is None or (route_id is None and method != RouteMethod.ANALYST):
            return None
        return cls(route_id, RouteMethod(method), distance_km)


NO_ROUTE = Attribution(None, None)
# The means a change of the rules can revise; the publisher's route (its label, an alias of it)
# and an analyst's choice are never revised by a rule.
BY_RULE = (RouteMethod.PLACE_RULE, RouteMethod.COORDINATES)


@dataclass(frozen=True)
class Placement:
    """Stored figures (``rows`` of them, one incident when ``incident_id`` is set) of one
    source and place, as a rule (or no rule) placed them: what the attribution is asked again
    when the rules change."""

    source: str
    route_key: str | None
    route_name: str | None
    country: str | None
    place: str | None
    found: Attribution
    lat: float | None = None
    lon: float | None = None
    incident_id: int | None = None
    batch_id: int | None = None
    rows: int = 1

    def revised(self, attributor: RouteAttributor, owners: Mapping[str, str]) -> Attribution:
        """Where the rules place it now (an alias of its route name first, as on import)."""
        alias = owners.get(self.route_key) if self.route_key else None
        named = Attribution(alias, RouteMethod.ALIAS) if alias else NO_ROUTE
        return attributor.attribute(
            named, self.route_name, self.country, self.place, self.lat, self.lon
        )


@dataclass(frozen=True)
class PlaceRule:
    """Figures of ``sources`` counted in ``country`` go to ``route``; with ``places``, only
    figures whose place contains one of them (case-folded), and with ``exclude_places`` never
    those. Rules are tried in order: the first that matches wins."""

    route: str
    country: str
    sources: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    exclude_places: tuple[str, ...] = ()
    note: str = ""

    def matches(self, source: str, country: str | None, place: str | None) -> bool:
        if country != self.country or (self.sources and source not in self.sources):
            return False
        folded = (place or "").casefold()
        if any(p.casefold() in folded for p in self.exclude_places if folded):
            return False
        return not self.places or any(p.casefold() in folded for p in self.places if folded)


@dataclass(frozen=True)
class AttributionRules:
    place_rules: tuple[PlaceRule, ...] = ()
    max_distance_km: float = 250.0
    # Publishers' names of stretches several routes share, with the routes whose legs they are.
    shared_stretches: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The publisher says the incident is on the stretch: the nearest route's leg is looked for
    # farther away than for an incident named by nothing (a desert is wide, its legs sparse).
    shared_stretch_max_distance_km: float = 750.0
    tie_order: tuple[str, ...] = ()  # which route takes a leg several routes share

    def stretch_routes(self, route_name: str | None) -> tuple[str, ...] | None:
        """The routes a shared stretch belongs to; ``None`` when the name is not one."""
        key = normalise_alias(route_name or "")
        for name, routes in self.shared_stretches.items():
            if normalise_alias(name) == key:
                return routes
        return None


@dataclass(frozen=True)
class LegSegment:
    route_id: str
    lat1: float
    lon1: float
    lat2: float
    lon2: float


def leg_segments(routes: Iterable[Route], places: Mapping[str, Place]) -> list[LegSegment]:
    """Every straight stretch of every route's land and sea legs as drawn on the map (no one
    dies on a flight's great circle: air legs are left out)."""
    segments = []
    for route in routes:
        for feature in route_features(route, places):
            if feature["properties"]["mode"] == "air":
                continue
            points = feature["geometry"]["coordinates"]
            for (lon1, lat1), (lon2, lat2) in pairwise(points):
                segments.append(LegSegment(route.id, lat1, lon1, lat2, lon2))
    return segments


def _distance_km(lat: float, lon: float, s: LegSegment) -> float:
    scale = math.cos(math.radians(lat))
    ax, ay = (s.lon1 - lon) * scale, s.lat1 - lat
    bx, by = (s.lon2 - lon) * scale, s.lat2 - lat
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
    return math.hypot(ax + t * dx, ay + t * dy) * KM_PER_DEGREE


def nearest_route(
    lat: float,
    lon: float,
    segments: Iterable[LegSegment],
    max_distance_km: float,
    tie_order: tuple[str, ...] = (),
) -> tuple[str, float] | None:
    """The route of the nearest leg within ``max_distance_km``, and the distance; a leg shared
    by several routes (within 1 km) goes to the first of them in ``tie_order``, then by id."""
    distances: dict[str, float] = {}
    for segment in segments:
        d = _distance_km(lat, lon, segment)
        if d <= max_distance_km and d < distances.get(segment.route_id, math.inf):
            distances[segment.route_id] = d
    if not distances:
        return None
    best = min(distances.values())
    tied = [r for r, d in distances.items() if d - best <= 1.0]
    rank = {route: i for i, route in enumerate(tie_order)}
    chosen = min(tied, key=lambda r: (rank.get(r, len(rank)), distances[r], r))
    return chosen, round(distances[chosen], 1)


class RouteAttributor:
    """Attributes figures of one source to routes, after the alias table has had its say."""

    def __init__(self, rules: AttributionRules, segments: list[LegSegment], source: str) -> None:
        self.rules, self.segments, self.source = rules, segments, source
        self._points: dict[tuple[float, float, tuple[str, ...]], Attribution] = {}

    def by_place(self, country: str | None, place: str | None) -> Attribution:
        for rule in self.rules.place_rules:
            if rule.matches(self.source, country, place):
                return Attribution(rule.route, RouteMethod.PLACE_RULE)
        return NO_ROUTE

    def by_point(
        self, lat: float | None, lon: float | None, stretch: tuple[str, ...] = ()
    ) -> Attribution:
        """The nearest leg's route; on a shared ``stretch``, the nearest of its routes' legs."""
        if lat is None or lon is None:
            return NO_ROUTE
        key = (round(lat, 3), round(lon, 3), stretch)
        found = self._points.get(key)
        if found is None:
            rules = self.rules
            reach = rules.shared_stretch_max_distance_km if stretch else rules.max_distance_km
            segments = [s for s in self.segments if s.route_id in stretch] if stretch else None
            near = nearest_route(lat, lon, segments or self.segments, reach, rules.tie_order)
            found = (
                NO_ROUTE if near is None else Attribution(near[0], RouteMethod.COORDINATES, near[1])
            )
            self._points[key] = found
        return found

    def attribute(
        self,
        named: Attribution,
        route_name: str | None,
        country: str | None,
        place: str | None,
        lat: float | None = None,
        lon: float | None = None,
    ) -> Attribution:
        """``named`` is what the alias table or the reader found; the rest when it found none."""
        if named.on_route:
            return named
        ruled = self.by_place(country, place)
        if ruled.on_route:
            return ruled
        if not route_name:
            return self.by_point(lat, lon)
        stretch = self.rules.stretch_routes(route_name)
        if stretch:
            return self.by_point(lat, lon, stretch)
        return NO_ROUTE
