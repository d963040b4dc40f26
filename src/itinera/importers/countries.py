"""Country names as publishers write them → ISO 3166-1 alpha-3 codes.

Names are looked up, ignoring case, accents, a leading "the" and footnote markers
("Kosovo*", "Palestine^", "Other¹"), among:

- pycountry's codes (alpha-3, alpha-2), names, official names and common names, current and
  historic, in English and French;
- the packaged synonyms table ``data/country_synonyms.yaml`` (UN M49 spellings such as
  "Iran (Islamic Republic of)", Frontex's "Congo (Kinshasa)", "Kosovo" → XKX, "Stateless" → XXA).

Values that mean "no particular country" ("Unknown", "Other", "Mixed", "Third-country"…) are
*unspecified*: they resolve to no code and are not a data problem. Anything else that does
not resolve is the caller's to report (one issue per distinct value).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache
from importlib import resources

import pycountry
import yaml

__all__ = ["country_code", "is_unspecified", "normalise_country_name", "strip_footnote_markers"]

_FOOTNOTE = re.compile(r"[\s*^†‡§¹²³⁰⁴-⁹]+$")
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})


def strip_footnote_markers(name: str) -> str:
    """Drop trailing footnote markers: ``"Kosovo*"`` → ``"Kosovo"``, ``"Other¹"`` → ``"Other"``."""
    return _FOOTNOTE.sub("", name.strip())


def normalise_country_name(name: str) -> str:
    """The lookup key of a name: no footnote marker, accent, case, leading "the", extra space."""
    text = strip_footnote_markers(name).translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text).strip().casefold()
    return text.removeprefix("the ")


@cache
def _synonyms() -> tuple[dict[str, str], frozenset[str]]:
    path = resources.files("itinera.importers") / "data" / "country_synonyms.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for code, spellings in document["synonyms"].items():
        for spelling in (code, *spellings):
            names[normalise_country_name(str(spelling))] = str(code)
    unspecified = frozenset(normalise_country_name(str(value)) for value in document["unspecified"])
    return names, unspecified


@cache
def _index() -> dict[str, str]:
    locales = pycountry.LOCALES_DIR
    french = gettext.translation("iso3166-1", locales, languages=["fr"], fallback=True)
    index: dict[str, str] = {}

    def add(name: str | None, code: str) -> None:
        if name:
            index.setdefault(normalise_country_name(name), code)
            index.setdefault(normalise_country_name(french.gettext(name)), code)

    for country in pycountry.countries:
        code = country.alpha_3
        for attribute in ("alpha_3", "name", "common_name", "official_name"):
            add(getattr(country, attribute, None), code)
    for historic in pycountry.historic_countries:
        add(historic.alpha_3, historic.alpha_3)
        add(historic.name, historic.alpha_3)
    synonyms, _ = _synonyms()
    index.update(synonyms)  # the table wins: it corrects names pycountry reads otherwise
    return index


def is_unspecified(name: str) -> bool:
    """True for an empty value or one meaning "no particular country" ("Unknown", "Other"…)."""
    key = normalise_country_name(name)
    return not key or key in _synonyms()[1]


@cache
def country_code(name: str) -> str | None:
    """The alpha-3 code of ``name``, or None when it is unspecified or unknown.

    Use :func:`is_unspecified` to tell "no particular country" (not a problem) from a name
    that should have resolved (report it).
    """
    key = normalise_country_name(name)
    if not key or key in _synonyms()[1]:
        return None
    return _index().get(key)
