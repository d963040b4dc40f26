"""The reports' gettext catalogs (domain ``reports``), read from the ``.po`` files directly.

Reports keep their own domain, beside the pages' ``messages``, so that a report's wording can
change without touching the pages' catalogs; the ``.po`` is compiled in memory on first use,
so a checkout needs no build step to render a report.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = ["DOMAIN", "catalog_path", "report_translations"]

DOMAIN = "reports"


def catalog_path(language: str) -> Path:
    return Path(str(resources.files("itinera") / "locale" / language / "LC_MESSAGES")) / (
        f"{DOMAIN}.po"
    )


@cache
def report_translations(language: str) -> NullTranslations:
    """English is the source language; French and Arabic come from ``reports.po``."""
    if language == "en":
        return NullTranslations()
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)
