"""Build the indicator dictionary from ``indicators.yaml`` (already schema-checked)."""

from __future__ import annotations

from functools import cache
from typing import Any

from itinera.domain.errors import ReferenceDataError
from itinera.domain.indicator import HxlTag, Indicator, IndicatorDictionary
from itinera.domain.observation import Unit
from itinera.reference.files import default_data_dir, read_document

__all__ = ["INDICATORS_FILE", "INDICATORS_SCHEMA", "indicators_from", "packaged_indicators"]

INDICATORS_FILE = "indicators.yaml"
INDICATORS_SCHEMA = "indicators.schema.json"


def indicators_from(document: dict[str, Any]) -> dict[str, Indicator]:
    """Indicators by code; duplicate codes or a tag claimed twice name the entry and field."""
    indicators: dict[str, Indicator] = {}
    tags: dict[HxlTag, str] = {}
    for index, raw in enumerate(document["indicators"]):
        entry = f"indicators[{index}] ({raw['code']})"
        if raw["code"] in indicators:
            raise ReferenceDataError(INDICATORS_FILE, entry, "code", "duplicate code")
        indicator = Indicator(
            code=raw["code"],
            name=raw["name"],
            definition=raw["definition"],
            unit=Unit(raw["unit"]),
            hxl=raw["hxl"],
            hxl_alternates=tuple(raw.get("hxl_alternates", [])),
            synonyms=tuple(raw.get("synonyms", [])),
            preferred_sources=tuple(raw.get("preferred_sources", [])),
            incident_derived=bool(raw.get("incident_derived", False)),
        )
        for tag in indicator.tags:
            owner = tags.setdefault(tag, indicator.code)
            if owner != indicator.code:
                message = f"HXL tag {tag} already belongs to indicator {owner!r}"
                raise ReferenceDataError(INDICATORS_FILE, entry, "hxl", message)
        indicators[indicator.code] = indicator
    return indicators


@cache
def packaged_indicators() -> IndicatorDictionary:
    """The packaged dictionary, which every import validates against."""
    document = read_document(default_data_dir(), INDICATORS_FILE, INDICATORS_SCHEMA, {})
    return IndicatorDictionary.of(indicators_from(document).values())
