"""Read the reference data files into domain objects, validating them on the way.

A malformed file raises :class:`ReferenceDataError` naming the file, the entry and the
field, e.g. ``routes.yaml: routes[2] (central-mediterranean): field 'legs[1].mode': ...``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from itinera.domain.errors import ReferenceDataError
from itinera.domain.indicator import Indicator
from itinera.domain.place import Place, PlaceKind
from itinera.domain.reference import ReferenceCategory, ReferenceItem
from itinera.domain.route import (
    CountryRole,
    Leg,
    LinkKind,
    Mode,
    Route,
    RouteCountry,
    RouteGroup,
    RouteLink,
    normalise_alias,
    validate_route,
)
from itinera.reference.files import default_data_dir, read_document
from itinera.reference.indicators import INDICATORS_FILE, INDICATORS_SCHEMA, indicators_from

__all__ = ["Catalogue", "default_data_dir", "load_catalogue"]

ROUTES_FILE = "routes.yaml"
COUNTRIES_FILE = "countries.yaml"
LIST_FILES = {category: f"{category.value}.yaml" for category in ReferenceCategory}


@dataclass
class Catalogue:
    """Everything the reference files define, validated and cross-checked."""

    places: dict[str, Place] = field(default_factory=dict)
    groups: dict[str, RouteGroup] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    links: list[RouteLink] = field(default_factory=list)
    items: dict[ReferenceCategory, list[ReferenceItem]] = field(default_factory=dict)
    versions: dict[str, tuple[int, str]] = field(default_factory=dict)  # file -> (version, sha)
    indicators: dict[str, Indicator] = field(default_factory=dict)  # C2 indicator dictionary


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Load and validate every reference file in ``data_dir`` (the packaged data by default)."""
    data_dir = data_dir or default_data_dir()
    catalogue = Catalogue()
    countries = read_document(data_dir, COUNTRIES_FILE, "countries.schema.json", catalogue.versions)
    catalogue.places.update(_country_places(countries))
    routes = read_document(data_dir, ROUTES_FILE, "routes.schema.json", catalogue.versions)
    _add_routes(routes, catalogue)
    for category, filename in LIST_FILES.items():
        document = read_document(
            data_dir, filename, "reference-list.schema.json", catalogue.versions
        )
        catalogue.items[category] = _items(category, filename, document)
    indicators = read_document(data_dir, INDICATORS_FILE, INDICATORS_SCHEMA, catalogue.versions)
    catalogue.indicators = indicators_from(indicators)
    return catalogue


def _country_places(document: dict[str, Any]) -> dict[str, Place]:
    """Every ISO 3166 country, with the centroid from the file where it gives one."""
    coordinates = {c["code"]: (c["lat"], c["lon"]) for c in document["countries"]}
    for index, code in enumerate(coordinates):
        if pycountry.countries.get(alpha_3=code) is None:
            raise ReferenceDataError(
                COUNTRIES_FILE, f"countries[{index}] ({code})", "code", "not an ISO 3166 code"
            )
    places = {}
    for country in pycountry.countries:
        lat, lon = coordinates.get(country.alpha_3, (None, None))
        places[country.alpha_3] = Place(
            id=country.alpha_3,
            kind=PlaceKind.COUNTRY,
            name=_country_names(country.alpha_3),
            country=country.alpha_3,
            lat=lat,
            lon=lon,
        )
    return places


@cache
def _country_names(code: str) -> dict[str, str]:
    import gettext

    country = pycountry.countries.get(alpha_3=code)
    english = getattr(country, "common_name", None) or country.name
    names = {"en": english}
    for language in ("fr", "ar"):
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        names[language] = translation.gettext(country.name)
    return names


def _add_routes(document: dict[str, Any], catalogue: Catalogue) -> None:
    for index, raw in enumerate(document.get("places", [])):
        if raw["id"] in catalogue.places:
            entry = f"places[{index}] ({raw['id']})"
            raise ReferenceDataError(ROUTES_FILE, entry, "id", "duplicate place id")
        country = raw.get("country")
        if country is not None and country not in catalogue.places:
            entry = f"places[{index}] ({raw['id']})"
            raise ReferenceDataError(ROUTES_FILE, entry, "country", f"unknown country {country!r}")
        catalogue.places[raw["id"]] = Place(
            id=raw["id"],
            kind=PlaceKind(raw["kind"]),
            name=raw["name"],
            country=country,
            lat=raw.get("lat"),
            lon=raw.get("lon"),
        )
    for raw in document.get("groups", []):
        catalogue.groups[raw["id"]] = RouteGroup(raw["id"], raw["name"], raw.get("description", {}))
    owners: dict[str, str] = {}
    for index, raw in enumerate(document["routes"]):
        route = _route(raw)
        entry = f"routes[{index}] ({route.id})"
        if route.id in catalogue.routes:
            raise ReferenceDataError(ROUTES_FILE, entry, "id", "duplicate route id")
        errors = validate_route(
            route,
            place_exists=catalogue.places.__contains__,
            group_exists=catalogue.groups.__contains__,
        )
        if errors:
            raise ReferenceDataError(ROUTES_FILE, entry, errors[0].field, errors[0].message)
        for alias_index, alias in enumerate(route.aliases):
            owner = owners.setdefault(normalise_alias(alias), route.id)
            if owner != route.id:
                message = f"alias {alias!r} already belongs to route {owner!r}"
                raise ReferenceDataError(ROUTES_FILE, entry, f"aliases[{alias_index}]", message)
        catalogue.routes[route.id] = route
    for index, raw in enumerate(document.get("links", [])):
        for end in ("from", "to"):
            if raw[end] not in catalogue.routes:
                message = f"unknown route {raw[end]!r}"
                raise ReferenceDataError(ROUTES_FILE, f"links[{index}]", end, message)
        catalogue.links.append(
            RouteLink(
                raw["from"],
                raw["to"],
                LinkKind(raw["kind"]),
                raw.get("source"),
                raw.get("note", {}),
            )
        )


def _route(raw: dict[str, Any]) -> Route:
    return Route(
        id=raw["id"],
        name=raw["name"],
        group=raw.get("group"),
        description=raw.get("description", {}),
        sources=tuple(raw.get("sources", [])),
        aliases=tuple(raw.get("aliases", [])),
        countries=tuple(
            RouteCountry(c["country"], CountryRole(c["role"])) for c in raw["countries"]
        ),
        legs=tuple(
            Leg(leg["from"], leg["to"], Mode(leg["mode"]), leg.get("via")) for leg in raw["legs"]
        ),
    )


def _items(
    category: ReferenceCategory, filename: str, document: dict[str, Any]
) -> list[ReferenceItem]:
    items, seen = [], set()
    for index, raw in enumerate(document["items"]):
        if raw["code"] in seen:
            entry = f"items[{index}] ({raw['code']})"
            raise ReferenceDataError(filename, entry, "code", "duplicate code")
        seen.add(raw["code"])
        items.append(
            ReferenceItem(
                category=category,
                code=raw["code"],
                name=raw["name"],
                description=raw.get("description", {}),
                number=raw.get("number"),
                source=raw.get("source"),
            )
        )
    return items
