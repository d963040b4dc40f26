"""Country names as publishers write them → ISO 3166-1 alpha-3 codes.

Names are looked up, ignoring case, accents, a leading "the" and footnote markers
("Kosovo*", "Palestine^", "Other¹"), among:

- pycountry's codes (alpha-3, alpha-2), names, official names and common names, current and
  historic, in English and French;
- the packaged synonyms table ``data/country_synonyms.yaml`` (UN M49 spellings such as
  "Iran (Islamic Republic of)", Frontex's "Congo (Kinshasa)", "Kosovo" → XKX, "Stateless" → XXA).

A name found in neither is matched by its spelling to the closest known name (rapidfuzz's
``ratio`` on the normalised names, at least :data:`FUZZY_CUTOFF` out of 100), so that a typo
such as the UNHCR 3W list's "Congo (Brazaville)" finds the Republic of the Congo. A close match
is taken only when no other country's name is about as close, and never for names shorter
than :data:`FUZZY_MIN_LENGTH` letters ("Niger"/"Nigeria", "Iran"/"Iraq" are different
countries). Readers report every close match with :func:`close_match_note` (a warning naming
the spelling and the country chosen); the fix is to add the spelling to the synonyms table.
pycountry's ``search_fuzzy`` is not used: it matches words inside names and subdivisions
("Georgia" the US state, "Guinea" inside "Papua New Guinea"), which is not a spelling check.

Values that mean "no particular country" ("Unknown", "Other", "Mixed", "Third-country"…) are
*unspecified*: they resolve to no code and are not a data problem. Anything else that does
not resolve is the caller's to report (one issue per distinct value).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry
import yaml
from rapidfuzz import fuzz, process

__all__ = [
    "FUZZY_CUTOFF",
    "FUZZY_MIN_LENGTH",
    "SPELLING_FIX",
    "CountryMatch",
    "close_match_note",
    "country_code",
    "is_unspecified",
    "known_codes",
    "match_country",
    "normalise_country_name",
    "strip_footnote_markers",
]

SPELLING_FIX = "check it, and add the spelling to importers/data/country_synonyms.yaml"
FUZZY_CUTOFF = 90.0  # rapidfuzz ratio, 0-100, of the normalised names
FUZZY_MIN_LENGTH = 8
_AMBIGUITY_MARGIN = 3.0  # another country this close to the best score: no match

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


@dataclass(frozen=True)
class CountryMatch:
    code: str  # ISO 3166-1 alpha-3 (or XKX, XXA of the synonyms table)
    spelling: str  # the name as written
    known_name: str  # the normalised known name it matched
    score: float  # 100 for an exact match, else the rapidfuzz ratio

    @property
    def is_close_match(self) -> bool:
        return self.known_name != normalise_country_name(self.spelling)


@cache
def match_country(name: str) -> CountryMatch | None:
    """How ``name`` resolves: exactly, by a close spelling, or not at all (None)."""
    key = normalise_country_name(name)
    if not key or key in _synonyms()[1]:
        return None
    index = _index()
    if key in index:
        return CountryMatch(index[key], name, key, 100.0)
    if len(key) < FUZZY_MIN_LENGTH:
        return None
    found = process.extract(key, list(index), scorer=fuzz.ratio, limit=5)
    if not found or found[0][1] < FUZZY_CUTOFF:
        return None
    best, score = found[0][0], found[0][1]
    rivals = {index[known] for known, other, _ in found if other >= score - _AMBIGUITY_MARGIN}
    if len(rivals) > 1:
        return None
    return CountryMatch(index[best], name, best, round(score, 1))


@cache
def country_code(name: str) -> str | None:
    """The alpha-3 code of ``name``, or None when it is unspecified or unknown.

    Use :func:`is_unspecified` to tell "no particular country" (not a problem) from a name
    that should have resolved (report it), and :func:`close_match_note` to report a name that
    resolved only by a close spelling.
    """
    found = match_country(name)
    return found.code if found else None


def close_match_note(name: str) -> str | None:
    """The warning for a name that resolved by a close spelling only, else None."""
    found = match_country(name)
    if found is None or not found.is_close_match:
        return None
    country = pycountry.countries.get(alpha_3=found.code)
    label = f"{country.name} ({found.code})" if country else found.code
    return (
        f"country {name!r} is not a known spelling; read as {label}, the closest known name "
        f"({found.known_name!r}, similarity {found.score:g}/100)"
    )


def known_codes() -> frozenset[str]:
    """Every code a country name can resolve to: the codes a reader may store (ISO alpha-3,
    historic codes, XKX, XXA …). Every reader that takes codes accepts all of them."""
    return frozenset(_index().values())
