"""Names of the vulnerability flags in each language (``vulnerabilities.yaml``), so that pages
show "Victim of trafficking" rather than the code ``trafficking-victim``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

__all__ = ["vulnerability_names"]


@cache
def _items() -> tuple[dict[str, Any], ...]:
    text = (resources.files("itinera.reference") / "data" / "vulnerabilities.yaml").read_text(
        "utf-8"
    )
    return tuple(yaml.safe_load(text)["items"])


@cache
def vulnerability_names(language: str) -> MappingProxyType[str, str]:
    """Code → name in ``language`` (English when that language has none)."""
    return MappingProxyType(
        {
            item["code"]: item["name"].get(language) or item["name"].get("en") or item["code"]
            for item in _items()
        }
    )
