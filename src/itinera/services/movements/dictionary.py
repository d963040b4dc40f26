"""The indicator dictionary every import validates against (the packaged one)."""

from __future__ import annotations

from itinera.domain.indicator import IndicatorDictionary
from itinera.reference.indicators import packaged_indicators

__all__ = ["indicator_dictionary"]


def indicator_dictionary() -> IndicatorDictionary:
    return packaged_indicators()
