"""Organisations: operators of service points, employers of users, receivers of referrals."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Organisation", "OrganisationType"]


class OrganisationType(StrEnum):
    UN = "un"
    INTERNATIONAL_ORGANISATION = "international-organisation"
    NGO = "ngo"
    RED_CROSS_RED_CRESCENT = "red-cross-red-crescent"
    STATE = "state"
    COMMUNITY_BASED = "community-based"
    REFUGEE_LED = "refugee-led"
    OTHER = "other"


@dataclass(frozen=True)
class Organisation:
    id: int | None
    name: str
    type: OrganisationType = OrganisationType.OTHER
    acronym: str | None = None
    country: str | None = None  # ISO alpha-3 of its head office, when known
