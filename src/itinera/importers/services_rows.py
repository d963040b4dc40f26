"""What the service-list readers produce: raw service points, before the store resolves them.

A reader turns one file into ``RawPoint``s plus the ``Issue``s it found (it never raises on
bad data). Sectors and publishers' service labels stay as text here: the services layer maps
them to service types through the editable sector table, and organisations by name.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import pycountry

from itinera.domain.issues import Issue
from itinera.importers.countries import country_code

__all__ = [
    "RawOffer",
    "RawPoint",
    "ReadOutcome",
    "coordinate",
    "country_alpha3",
    "fingerprint",
]


@dataclass
class RawOffer:
    row: int
    column: str  # where the sector or service label was read, for issues
    label: str | None = None  # a sector or publisher's service label, to map
    service_type: str | None = None  # already a service-type code (HSDS taxonomy, mapping)
    eligibility: str | None = None
    cost: str | None = None
    languages: list[str] = field(default_factory=list)
    opening_hours: str | None = None
    referral_required: bool = False
    organisation: str | None = None


@dataclass
class RawPoint:
    row: int  # first row of the file that describes it
    external_id: str
    name: str
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None
    country: str | None = None
    admin_area: str | None = None
    locality: str | None = None
    organisations: list[str] = field(default_factory=list)
    offers: list[RawOffer] = field(default_factory=list)
    status: str | None = None
    last_verified: str | None = None
    verified_by: str | None = None
    populations: list[str] = field(default_factory=list)
    contacts: list[tuple[str, str]] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadOutcome:
    format: str
    points: list[RawPoint] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0
    rejected_rows: set[int] = field(default_factory=set)


def coordinate(text: str | None, low: float, high: float) -> float | str | None:
    """A coordinate, ``None`` when blank, or the reason it is unusable."""
    if text is None or not str(text).strip():
        return None
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        return f"{text!r} is not a number"
    if not low <= value <= high:
        return f"{value} is outside {low:g}..{high:g}"
    return value


def fingerprint(point: RawPoint) -> str:
    """A checksum of everything the file says about a point: unchanged re-imports skip it."""
    data: dict[str, Any] = asdict(point)
    data.pop("row")
    for offer in data["offers"]:
        offer.pop("row")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def country_alpha3(code: str) -> str | None:
    """Alpha-3 from an alpha-3 or alpha-2 code (``PL-1465`` gives ``PL``), or a name."""
    if len(code) in (2, 3) and code.isalpha():
        found = pycountry.countries.get(**{f"alpha_{len(code)}": code.upper()})
        if found is not None:
            return str(found.alpha_3)
    return country_code(code)
