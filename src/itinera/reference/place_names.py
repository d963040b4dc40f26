"""The packaged usual spellings of places (``place_names.yaml``), schema-checked."""

from __future__ import annotations

from functools import cache

from itinera.reference.files import default_data_dir, read_document

__all__ = ["PLACE_NAMES_FILE", "PlaceNameGroup", "packaged_place_names"]

PLACE_NAMES_FILE = "place_names.yaml"

# (names by language, other spellings)
PlaceNameGroup = tuple[dict[str, str], tuple[str, ...]]


@cache
def packaged_place_names() -> tuple[PlaceNameGroup, ...]:
    document = read_document(default_data_dir(), PLACE_NAMES_FILE, "place_names.schema.json", {})
    return tuple((dict(g["names"]), tuple(g["also"])) for g in document["groups"])
