"""The indicator dictionary (C2): harmonised codes for movement figures.

An indicator fixes what a figure counts and in which unit: Frontex counts *detections*
(one person crossing twice is two), IOM and UNHCR count *persons*. Each indicator maps to
an HXL hashtag with attributes, and lists the names publishers use for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from itinera.domain.observation import Unit
from itinera.domain.text import LocalisedText

__all__ = ["HxlTag", "Indicator", "IndicatorDictionary"]

DISAGGREGATION_ATTRIBUTES = frozenset({"f", "m", "children", "adults", "num", "total"})
"""HXL attributes that split a figure by sex or age, or only say "a number": they do not
change which indicator a column holds."""


@dataclass(frozen=True)
class HxlTag:
    """A hashtag and its attributes, parsed from ``#affected +dead +f``."""

    hashtag: str
    attributes: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> HxlTag:
        cleaned = text.replace(" ", "").lower()
        if not cleaned.startswith("#") or len(cleaned) < 2:
            raise ValueError(f"{text!r} is not an HXL hashtag")
        head, *attributes = cleaned[1:].split("+")
        if not head or not all(attributes):
            raise ValueError(f"{text!r} is not an HXL hashtag")
        return cls(head, frozenset(attributes))

    def matches(self, other: HxlTag) -> bool:
        """True when ``other`` has this hashtag and at least these attributes."""
        return self.hashtag == other.hashtag and self.attributes <= other.attributes

    def __str__(self) -> str:
        return "#" + "+".join([self.hashtag, *sorted(self.attributes)])


@dataclass(frozen=True)
class Indicator:
    code: str
    name: LocalisedText
    definition: LocalisedText
    unit: Unit
    hxl: str  # the hashtag and attributes Itinera writes, e.g. "#affected+dead"
    hxl_alternates: tuple[str, ...] = ()  # other tags read as this indicator
    synonyms: tuple[str, ...] = ()  # publishers' names for it
    preferred_sources: tuple[str, ...] = ()  # source keys, best first, for the headline
    incident_derived: bool = False  # derived monthly from incident records

    @property
    def tags(self) -> tuple[HxlTag, ...]:
        return tuple(HxlTag.parse(t) for t in (self.hxl, *self.hxl_alternates))


@dataclass
class IndicatorDictionary:
    indicators: dict[str, Indicator] = field(default_factory=dict)

    @classmethod
    def of(cls, indicators: Iterable[Indicator]) -> IndicatorDictionary:
        return cls({indicator.code: indicator for indicator in indicators})

    def __contains__(self, code: object) -> bool:
        return code in self.indicators

    def __getitem__(self, code: str) -> Indicator:
        return self.indicators[code]

    def for_tag(self, tag: HxlTag) -> Indicator | None:
        """The indicator whose tag is the most specific match of ``tag`` (sex and age
        attributes ignored): ``#affected+dead+missing`` is dead_and_missing, not dead."""
        best: tuple[int, Indicator] | None = None
        core = HxlTag(tag.hashtag, tag.attributes - DISAGGREGATION_ATTRIBUTES)
        for indicator in self.indicators.values():
            for candidate in indicator.tags:
                if not candidate.matches(core):
                    continue
                if candidate.attributes == core.attributes:
                    return indicator
                if best is None or len(candidate.attributes) > best[0]:
                    best = (len(candidate.attributes), indicator)
        return best[1] if best else None

    def for_name(self, name: str) -> Indicator | None:
        """The indicator a publisher's column or label names (code, synonym or English name)."""
        key = " ".join(name.replace("_", " ").split()).casefold()
        for indicator in self.indicators.values():
            names = (
                indicator.code.replace("_", " "),
                indicator.name.get("en", ""),
                *indicator.synonyms,
            )
            if key in (n.casefold() for n in names):
                return indicator
        return None
