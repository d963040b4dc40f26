"""Service points along routes (C5): who offers which service where, for whom, and since when.

A service point is a place where one or more organisations offer services (a multi-purpose hub,
a Migrant Resource Centre, a Red Cross / Red Crescent Humanitarian Service Point…). Each
offered service carries its own details (eligibility, cost, languages, opening hours, whether a
referral is needed), after Open Referral HSDS 3.0 ``service`` / ``service_at_location``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from itinera.domain.errors import FieldError
from itinera.domain.place import check_coordinates

__all__ = [
    "ContactChannel",
    "ContactKind",
    "PointKind",
    "PointStatus",
    "Population",
    "ServiceOffer",
    "ServicePoint",
    "check_opening_hours",
    "is_stale",
    "validate_service_point",
]


class PointKind(StrEnum):
    MULTI_PURPOSE_HUB = "multi-purpose-hub"  # also "one-stop shop"
    MIGRANT_RESOURCE_CENTRE = "migrant-resource-centre"
    HUMANITARIAN_SERVICE_POINT = "humanitarian-service-point"
    NGO_SERVICE_POINT = "ngo-service-point"
    STATE_FACILITY = "state-facility"
    MOBILE_TEAM = "mobile-team"


class PointStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Population(StrEnum):
    REFUGEES = "refugees"
    ASYLUM_SEEKERS = "asylum-seekers"
    MIGRANTS = "migrants"
    HOST_COMMUNITY = "host-community"
    CHILDREN = "children"
    UNACCOMPANIED_CHILDREN = "unaccompanied-children"
    WOMEN = "women"
    RETURNEES = "returnees"
    IDPS = "idps"


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEBSITE = "website"
    WHATSAPP = "whatsapp"
    HOTLINE = "hotline"
    OTHER = "other"


@dataclass(frozen=True)
class ContactChannel:
    kind: ContactKind
    value: str
    label: str | None = None


@dataclass(frozen=True)
class ServiceOffer:
    """One service type offered at a point, with its own details."""

    service_type: str  # a code of ReferenceCategory.SERVICE_TYPE
    eligibility: str | None = None
    cost: str | None = None  # "free", or a description of fees
    languages: tuple[str, ...] = ()  # ISO 639-1 codes
    opening_hours: str | None = None  # "Mo-Fr 08:00-16:00; Sa 09:00-12:00" or "24/7"
    referral_required: bool = False
    organisation_id: int | None = None  # who offers it, when not every operator does


@dataclass(frozen=True)
class ServicePoint:
    id: int | None
    name: str
    kind: PointKind
    lat: float | None
    lon: float | None
    country: str | None = None  # ISO alpha-3
    admin_area: str | None = None
    locality: str | None = None
    organisation_ids: tuple[int, ...] = ()
    offers: tuple[ServiceOffer, ...] = ()
    populations: tuple[Population, ...] = ()
    contacts: tuple[ContactChannel, ...] = ()
    status: PointStatus = PointStatus.ACTIVE
    status_since: date | None = None
    status_until: date | None = None
    last_verified: date | None = None
    verified_by: str | None = None
    external_id: str | None = None  # the publisher's key: idempotent re-imports
    source: str | None = None  # provenance: the import batch's source key, or "manual"
    version: int = 1
    notes: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def service_types(self) -> frozenset[str]:
        return frozenset(o.service_type for o in self.offers)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


_DAYS = "(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
_DAY_SPEC = rf"{_DAYS}(?:-{_DAYS})?(?:,{_DAYS}(?:-{_DAYS})?)*"
_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_RULE = re.compile(rf"^(?:{_DAY_SPEC} )?(?:{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*|off|closed)$")


def check_opening_hours(value: str) -> str | None:
    """Why ``value`` is not in the accepted opening-hours shape, or ``None`` when it is.

    The shape is the common subset of OpenStreetMap's ``opening_hours``: ``24/7``, or rules
    separated by ``;`` such as ``Mo-Fr 08:00-16:00`` or ``Sa 09:00-12:00,14:00-17:00``.
    """
    text = value.strip()
    if text == "24/7":
        return None
    for rule in (r.strip() for r in text.split(";")):
        if not _RULE.match(rule):
            return (
                f"{rule!r} is not an opening-hours rule; write e.g. 'Mo-Fr 08:00-16:00; "
                "Sa 09:00-12:00' or '24/7'"
            )
        for span in re.findall(rf"({_TIME})-({_TIME})", rule):
            if span[0] >= span[1]:
                return f"{span[0]}-{span[1]} ends before it starts"
    return None


def validate_service_point(
    point: ServicePoint, *, service_type_exists: Callable[[str], bool]
) -> list[FieldError]:
    """Every rule a service point must satisfy, as field errors (empty when valid)."""
    errors: list[FieldError] = []
    if not point.name.strip():
        errors.append(FieldError("name", "a service point needs a name"))
    if (point.lat is None or point.lon is None) and point.kind is not PointKind.MOBILE_TEAM:
        errors.append(FieldError("lat", "a fixed service point needs coordinates"))
    for name, value, bound in (("lat", point.lat, 90), ("lon", point.lon, 180)):
        if value is not None and not -bound <= value <= bound:
            errors.append(FieldError(name, f"{value} is outside -{bound}..{bound}"))
    if (problem := check_coordinates(point.lat, point.lon)) and "together" in problem:
        errors.append(FieldError("lon", problem))
    if point.country is not None and not re.fullmatch(r"[A-Z]{3}", point.country):
        errors.append(FieldError("country", f"{point.country!r} is not an ISO alpha-3 code"))
    seen: set[str] = set()
    for i, offer in enumerate(point.offers):
        if not service_type_exists(offer.service_type):
            errors.append(
                FieldError(
                    f"offers[{i}].service_type", f"unknown service type {offer.service_type!r}"
                )
            )
        if offer.service_type in seen and offer.organisation_id is None:
            errors.append(FieldError(f"offers[{i}].service_type", "listed twice"))
        seen.add(offer.service_type)
        if offer.opening_hours and (problem := check_opening_hours(offer.opening_hours)):
            errors.append(FieldError(f"offers[{i}].opening_hours", problem))
        for j, language in enumerate(offer.languages):
            if not re.fullmatch(r"[a-z]{2,3}", language):
                errors.append(
                    FieldError(
                        f"offers[{i}].languages[{j}]", f"{language!r} is not an ISO 639 code"
                    )
                )
    if point.status_since and point.status_until and point.status_until < point.status_since:
        errors.append(FieldError("status_until", "ends before status_since"))
    for i, contact in enumerate(point.contacts):
        if not contact.value.strip():
            errors.append(FieldError(f"contacts[{i}].value", "empty contact"))
    return errors


def is_stale(point: ServicePoint, today: date, stale_after_days: int) -> bool:
    """Not re-verified within the period (IRC ServiceInfo's periodic re-confirmation)."""
    if point.last_verified is None:
        return True
    return today - point.last_verified > timedelta(days=stale_after_days)
