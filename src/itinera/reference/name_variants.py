"""The packaged name variant dictionary (``name_variants.yaml``), schema-checked."""

from __future__ import annotations

from functools import cache

from itinera.reference.files import default_data_dir, read_document

__all__ = ["VARIANTS_FILE", "packaged_name_variants"]

VARIANTS_FILE = "name_variants.yaml"


@cache
def packaged_name_variants() -> dict[str, tuple[str, ...]]:
    """Canonical key → known spellings (several scripts)."""
    document = read_document(default_data_dir(), VARIANTS_FILE, "name_variants.schema.json", {})
    groups: dict[str, tuple[str, ...]] = {}
    for group in document["groups"]:
        groups[group["key"]] = groups.get(group["key"], ()) + tuple(group["spellings"])
    return groups
