"""Read ``route_attribution.yaml``: the place rules and coordinate settings of decision 0020."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from itinera.domain.errors import ReferenceDataError
from itinera.domain.route_attribution import AttributionRules, PlaceRule
from itinera.reference.files import default_data_dir, read_document

__all__ = ["ATTRIBUTION_FILE", "attribution_rules", "packaged_attribution_rules"]

ATTRIBUTION_FILE = "route_attribution.yaml"
_SCHEMA = "route-attribution.schema.json"


def attribution_rules(data_dir: Path, route_ids: set[str] | None = None) -> AttributionRules:
    """The rules of ``data_dir``; with ``route_ids``, a rule naming another route is refused."""
    document = read_document(data_dir, ATTRIBUTION_FILE, _SCHEMA, {})
    rules = _rules(document)
    if route_ids is not None:
        named = [(f"place_rules[{i}]", r.route) for i, r in enumerate(rules.place_rules)]
        for name, routes in rules.shared_stretches.items():
            named += [(f"shared_stretches ({name})", route) for route in routes]
        for entry, route in named:
            if route not in route_ids:
                message = f"unknown route {route!r}"
                raise ReferenceDataError(ATTRIBUTION_FILE, entry, "route", message)
    return rules


@cache
def packaged_attribution_rules() -> AttributionRules:
    return attribution_rules(default_data_dir())


def _rules(document: dict[str, Any]) -> AttributionRules:
    coordinates = document["coordinates"]
    return AttributionRules(
        place_rules=tuple(
            PlaceRule(
                route=raw["route"],
                country=raw["country"],
                sources=tuple(raw.get("sources", ())),
                places=tuple(raw.get("places", ())),
                exclude_places=tuple(raw.get("exclude_places", ())),
                note=" ".join(str(raw.get("note", "")).split()),
            )
            for raw in document["place_rules"]
        ),
        max_distance_km=float(coordinates["max_distance_km"]),
        shared_stretches={
            raw["name"]: tuple(raw["routes"]) for raw in coordinates.get("shared_stretches", ())
        },
        shared_stretch_max_distance_km=float(
            coordinates.get("shared_stretch_max_distance_km", coordinates["max_distance_km"])
        ),
        tie_order=tuple(coordinates.get("tie_order", ())),
    )
