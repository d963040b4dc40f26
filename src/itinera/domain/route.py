"""Routes: corridors of legs through countries of origin, transit, asylum and destination."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from itinera.domain.errors import FieldError
from itinera.domain.text import LocalisedText

__all__ = [
    "ROUTE_ID",
    "CountryRole",
    "Leg",
    "LinkKind",
    "Mode",
    "Route",
    "RouteCountry",
    "RouteGroup",
    "RouteLink",
    "normalise_alias",
    "validate_route",
]

ROUTE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Route, group and place ids are lowercase kebab-case (``central-mediterranean``)."""


class Mode(StrEnum):
    LAND = "land"
    SEA = "sea"
    AIR = "air"


class CountryRole(StrEnum):
    ORIGIN = "origin"
    TRANSIT = "transit"
    ASYLUM = "asylum"
    DESTINATION = "destination"


class LinkKind(StrEnum):
    INVERSELY_LINKED = "inversely-linked"  # one route's flows rise when the other's fall
    SHARED_ORIGINS = "shared-origins"
    FEEDS_INTO = "feeds-into"
    LINKED = "linked"


@dataclass(frozen=True)
class Leg:
    """One stretch of a route, from a place to a place, by one mode."""

    from_place: str
    to_place: str
    mode: Mode
    via: str | None = None  # a sea area crossed, for instance


@dataclass(frozen=True)
class RouteCountry:
    country: str
    role: CountryRole


@dataclass(frozen=True)
class RouteGroup:
    """Routes whose flows influence each other (seed 002 §6)."""

    id: str
    name: LocalisedText
    description: LocalisedText = field(default_factory=dict)


@dataclass(frozen=True)
class RouteLink:
    from_route: str
    to_route: str
    kind: LinkKind
    source: str | None = None
    note: LocalisedText = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    id: str
    name: LocalisedText
    group: str | None = None
    description: LocalisedText = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    countries: tuple[RouteCountry, ...] = ()
    legs: tuple[Leg, ...] = ()
    origin: str = "reference"  # "reference" (catalogue) or "user"
    edited: bool = False  # a user changed a catalogue route: reloads keep the change
    version: int = 1  # optimistic-locking counter

    def countries_with(self, role: CountryRole) -> list[str]:
        return [c.country for c in self.countries if c.role is role]

    def place_ids(self) -> list[str]:
        """Every place the legs touch, in order of first appearance."""
        seen: dict[str, None] = {}
        for leg in self.legs:
            seen.setdefault(leg.from_place)
            seen.setdefault(leg.to_place)
        return list(seen)


def normalise_alias(name: str) -> str:
    """The key under which a publisher's route name is matched: case, spacing and dashes folded."""
    folded = name.casefold().replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", folded).strip()


def validate_route(
    route: Route,
    *,
    place_exists: Callable[[str], bool],
    group_exists: Callable[[str], bool],
) -> list[FieldError]:
    """Every rule a route must satisfy, as field errors (empty when valid)."""
    errors: list[FieldError] = []
    if not ROUTE_ID.match(route.id):
        errors.append(FieldError("id", f"{route.id!r} is not a lowercase kebab-case id"))
    if not any(v.strip() for v in route.name.values()):
        errors.append(FieldError("name", "a route needs a name in at least one language"))
    if route.group is not None and not group_exists(route.group):
        errors.append(FieldError("group", f"unknown route group {route.group!r}"))
    for i, rc in enumerate(route.countries):
        if not place_exists(rc.country):
            errors.append(FieldError(f"countries[{i}].country", f"unknown country {rc.country!r}"))
    pairs = [(rc.country, rc.role) for rc in route.countries]
    for i, pair in enumerate(pairs):
        if pair in pairs[:i]:
            errors.append(FieldError(f"countries[{i}]", f"{pair[0]} is listed twice as {pair[1]}"))
    for i, leg in enumerate(route.legs):
        for name, value in (("from", leg.from_place), ("to", leg.to_place), ("via", leg.via)):
            if value is not None and not place_exists(value):
                errors.append(FieldError(f"legs[{i}].{name}", f"unknown place {value!r}"))
        if leg.from_place == leg.to_place:
            errors.append(FieldError(f"legs[{i}]", "a leg must join two different places"))
    keys = [normalise_alias(a) for a in route.aliases]
    for i, key in enumerate(keys):
        if not key:
            errors.append(FieldError(f"aliases[{i}]", "an alias cannot be empty"))
        elif key in keys[:i]:
            errors.append(FieldError(f"aliases[{i}]", f"duplicate alias {route.aliases[i]!r}"))
    return errors
