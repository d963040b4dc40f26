"""One normaliser for searching the gateway's articles, the same on SQLite and PostgreSQL.

Neither SQLite FTS5 nor PostgreSQL's ``simple`` configuration folds Arabic spelling variants, and
people type without diacritics on phones. So both the stored text and the query go through
:func:`normalise_for_search` before the database sees them: Unicode compatibility forms,
case folded, combining marks dropped (Latin accents and Arabic short vowels, shadda, sukun,
tanwin, the dagger alef), tatweel removed, alef forms (أ إ آ ٱ) to ا, alef maqsura and Persian
yeh to ي, hamza on a seat (ؤ ئ) to ء, ta marbuta to ه, and punctuation to spaces.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_for_search", "search_terms"]

_ARABIC = str.maketrans(
    {
        "\u0640": None,  # tatweel
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ء",  # hamza seats vary between spellings of one word (مسئول, مسؤول)
        "ؤ": "ء",
        "ة": "ه",
        "ک": "ك",
    }
)
_WORD = re.compile(r"\w+")
MAX_TERMS = 12


def normalise_for_search(text: str) -> str:
    """Lower-case words separated by single spaces, without marks or spelling variants."""
    # compose first so that the Arabic letters with hamza are single characters for _ARABIC
    composed = unicodedata.normalize("NFKC", text).translate(_ARABIC)
    decomposed = unicodedata.normalize("NFKD", composed)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(bare.casefold().translate(_ARABIC)))


def search_terms(query: str) -> list[str]:
    """The normalised words of a query (at most 12), each safe to quote for either engine."""
    return normalise_for_search(query).split()[:MAX_TERMS]
