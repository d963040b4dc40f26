"""Names a report prints for breakdown categories: countries and nationalities by their name in
the report's language (Babel's territory names), sex and age groups in words, never a code."""

from __future__ import annotations

from functools import cache

import pycountry
from babel import Locale

from itinera.reports.translation import report_translations

__all__ = ["category_name", "country_name"]


@cache
def country_name(code: str, language: str) -> str:
    """An ISO 3166 alpha-3 code as the country's name; the code itself when it is none."""
    country = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if country is None:
        return category_name("", code, language)
    name = Locale.parse(language).territories.get(country.alpha_2)
    return str(name or country.name)


def category_name(by: str, code: str, language: str) -> str:
    if by in ("nationality", "country") and code not in ("other", "unknown", ""):
        return country_name(code, language)
    t = report_translations(language)
    words = {
        "other": t.gettext("other"),
        "unknown": t.gettext("not given"),
        "": t.gettext("not given"),
        "male": t.gettext("men and boys"),
        "female": t.gettext("women and girls"),
        "child": t.gettext("children"),
        "adult": t.gettext("adults"),
    }
    return words.get(code, code)
