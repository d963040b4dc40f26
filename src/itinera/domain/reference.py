"""Coded reference lists: pillars, key areas, service types, vulnerabilities."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from itinera.domain.text import LocalisedText

__all__ = ["ReferenceCategory", "ReferenceItem"]


class ReferenceCategory(StrEnum):
    PILLAR = "pillars"  # the six pillars of the route-based approach (seed 000 §III)
    KEY_AREA = "key_areas"  # the four key areas of mixed-flow management (seed 002 §8)
    SERVICE_TYPE = "service_types"
    VULNERABILITY = "vulnerabilities"


@dataclass(frozen=True)
class ReferenceItem:
    category: ReferenceCategory
    code: str
    name: LocalisedText
    description: LocalisedText = field(default_factory=dict)
    number: int | None = None
    source: str | None = None
