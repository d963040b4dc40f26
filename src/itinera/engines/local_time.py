"""A country's local time and public holidays, for opening hours shown where the service is.

The time zone is CLDR's first zone of the territory (Babel's data; a country with several zones
gets its main one), the holidays come from the ``holidays`` package. Both work offline.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import pycountry
from babel.core import get_global

__all__ = ["holiday_name", "local_time"]

log = logging.getLogger(__name__)


@cache
def _alpha_2(alpha_3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=alpha_3.upper())
    return country.alpha_2 if country else None


@cache
def _zone(alpha_3: str) -> ZoneInfo | None:
    alpha_2 = _alpha_2(alpha_3)
    zones = get_global("territory_zones").get(alpha_2 or "", [])
    return ZoneInfo(zones[0]) if zones else None


def local_time(country: str | None, now: datetime) -> datetime | None:
    """``now`` (aware) in the country's time zone; None for an unknown country."""
    zone = _zone(country) if country else None
    return now.astimezone(zone) if zone else None


@cache
def _calendar(alpha_2: str, year: int) -> dict[date, str]:
    try:
        import holidays  # imported on use: only the opening hours need it
    except ImportError:  # pragma: no cover - a dependency of the project
        log.warning("the holidays package is missing: public holidays are not shown")
        return {}
    try:
        return dict(holidays.country_holidays(alpha_2, years=year))
    except NotImplementedError:  # a country the package does not know
        return {}


def holiday_name(country: str | None, day: date) -> str | None:
    """The public holiday on ``day`` in the country (English name), or None."""
    alpha_2 = _alpha_2(country) if country else None
    return _calendar(alpha_2, day.year).get(day) if alpha_2 else None
