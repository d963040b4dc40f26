"""Country codes and names to ISO 3166 alpha-3, for the generic readers.

Every code another reader stores is accepted here (issue 11: the HXL export of Frontex
figures holds XXA, stateless, which must come back): after pycountry, a value is looked up
in the names table of ``countries`` (historic codes, XKX, XXA and the publishers' spellings).
"""

from __future__ import annotations

from functools import cache

import pycountry

from itinera.importers.countries import country_code, known_codes

__all__ = ["EXTRA_CODES", "country_iso3"]

EXTRA_CODES = frozenset({"XKX", "UNK"})  # Kosovo (user-assigned), unknown (IOM, UNHCR)


@cache
def country_iso3(text: str) -> str | None:
    """ISO alpha-3 for an alpha-3 or alpha-2 code or an English name; None when unknown."""
    value = text.strip()
    if value.upper() in EXTRA_CODES:
        return value.upper()
    if value.upper() in known_codes():
        return value.upper()
    try:
        return str(pycountry.countries.lookup(value).alpha_3)
    except LookupError:
        return country_code(value)
