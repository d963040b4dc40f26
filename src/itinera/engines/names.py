"""Names for record linkage: normalised per script, transliterated to Latin, expanded to keys.

Transliteration uses ICU's transforms (``Any-Latin; Latin-ASCII``, PyICU from the
``icukit-pyicu`` wheel, which bundles ICU) when installed, else Unidecode (decision 0013); the
one in use is named by :func:`transliterator_name` and recorded with each run's model version.
Arabic script carries no short vowels, so ``محمد`` becomes ``mhmd``; the keys below therefore
compare consonant skeletons (``Mohamed`` → ``mhmd``) besides the dictionary's canonical keys,
which is how a name written in Arabic script meets its French or English spelling. Every key
is computed in Python: Splink computes no phonetic key, and nothing here downloads anything.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from unidecode import unidecode

__all__ = [
    "NameKeys",
    "VariantDictionary",
    "all_keys",
    "name_keys",
    "skeleton",
    "to_latin",
    "transliterator_name",
]

# Arabic letters with several written forms (hamza seats, alif maqsura, ta marbuta).
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ARTICLES = frozenset({"al", "el", "ul", "ad", "ar", "as", "ash", "az", "at", "ben", "bin"})
# Transliteration habits that differ between French, English and Somali spellings.
_SOUNDS = (
    ("ou", "u"),
    ("ph", "f"),
    ("q", "k"),
    ("dj", "j"),
    ("x", "h"),
    ("sch", "sh"),
    ("gh", "g"),
    ("kh", "k"),
    ("th", "t"),
    ("dh", "d"),
)


def _fold(text: str) -> str:
    """Compatibility form, case-folded, without combining marks (vowel signs, accents)."""
    if text.isascii():  # most names: the forms, marks and Arabic letters leave ASCII as it is
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_ARABIC_FOLD).casefold()


@cache
def _transliterator() -> tuple[str, Callable[[str], str]]:
    try:
        icu = importlib.import_module("icu")
    except ImportError:
        return "unidecode", unidecode
    transform = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
    return f"icu{icu.ICU_VERSION.split('.')[0]}", transform.transliterate


def transliterator_name() -> str:
    """``icu78`` or ``unidecode``: keys differ slightly between the two."""
    return _transliterator()[0]


def to_latin(text: str) -> str:
    """Lower-case Latin letters and single spaces: ``'Abd al-Raḥmān'`` → ``'abd al rahman'``."""
    folded = _fold(text)
    if folded.isalpha() and folded.isascii():  # most names: one word of Latin letters
        return folded
    latin = folded if folded.isascii() else _transliterator()[1](folded).lower()
    # separators split a name; any other sign (ayn, hamza, schwa left by ICU) is dropped
    spaced = _SEPARATORS.sub(" ", latin)
    return _SPACES.sub(" ", _NOT_LATIN.sub("", spaced)).strip()


_SEPARATORS = re.compile(r"[\s\-_.,/]+")
_NOT_LATIN = re.compile(r"[^a-z ]")
_SPACES = re.compile(r" +")
_VOWELS = re.compile(r"[aeiouyw]")
_FINAL_H = re.compile(r"(?<=.)h$")
_DOUBLED = re.compile(r"(.)\1+")


def _one_letter(doubled: re.Match[str]) -> str:
    return doubled.group(1)


def _compact(latin: str) -> str:
    return latin.replace(" ", "")


def skeleton(latin_compact: str) -> str:
    """Consonant skeleton of a compact Latin name: ``mohammed`` and ``mhamed`` → ``mhmd``."""
    text = latin_compact
    for old, new in _SOUNDS:
        text = text.replace(old, new)
    text = _FINAL_H.sub("", _VOWELS.sub("", text))  # final h: ta marbuta, written -a in Latin
    return _DOUBLED.sub(_one_letter, text)  # a callable: no template parsed on every call


class VariantDictionary:
    """Spellings that mean the same name, looked up by their folded or Latin compact form."""

    def __init__(self, groups: Mapping[str, Sequence[str]]) -> None:
        self._key_of: dict[str, str] = {}
        self.keys_cache: dict[str, NameKeys] = {}  # names repeat: keys computed once per run
        for key, spellings in groups.items():
            for spelling in (key, *spellings):
                for form in (_compact(_fold(spelling)), _compact(to_latin(spelling))):
                    if form:
                        self._key_of.setdefault(form, key)

    def lookup(self, form: str) -> str | None:
        """The key of a form already folded or transliterated and compacted."""
        return self._key_of.get(form)

    def key_of(self, name: str) -> str | None:
        return self._key_of.get(_compact(_fold(name))) or self._key_of.get(_compact(to_latin(name)))

    def learn(self, key: str, spelling: str) -> None:
        """Add a spelling (a reviewer confirmed two spellings of one name)."""
        self.keys_cache.clear()
        for form in (_compact(_fold(spelling)), _compact(to_latin(spelling))):
            if form:
                self._key_of.setdefault(form, key)

    def copy(self) -> VariantDictionary:
        """A dictionary that can learn without changing this one."""
        twin = VariantDictionary({})
        twin._key_of = dict(self._key_of)  # the cache starts empty
        return twin

    def __len__(self) -> int:
        return len(self._key_of)


@dataclass(frozen=True)
class NameKeys:
    """The keys of one name field: a canonical key, every variant key, and skeletons."""

    latin: str
    canonical: str | None
    variants: frozenset[str]
    skeletons: frozenset[str]
    known: bool = False  # the canonical key is the dictionary's, not a consonant skeleton

    @cached_property  # once per name, not per record
    def sorted_skeletons(self) -> tuple[str, ...]:
        return tuple(sorted(self.skeletons))


_NO_NAME = NameKeys("", None, frozenset(), frozenset())
_EMPTY = frozenset({""})


def name_keys(name: str | None, dictionary: VariantDictionary) -> NameKeys:
    """Canonical key (the dictionary's group, else the skeleton) and the keys of each part."""
    cached = dictionary.keys_cache.get(name or "")
    if cached is None:
        cached = dictionary.keys_cache[name or ""] = _name_keys(name, dictionary)
    return cached


def _name_keys(name: str | None, dictionary: VariantDictionary) -> NameKeys:
    latin = to_latin(name or "")
    if not latin:
        return _NO_NAME
    folded = _compact(_fold(name or ""))
    if " " not in latin:  # most names: one token, its own whole form
        found = dictionary.lookup(latin)
        whole = found if folded == latin else dictionary.lookup(folded) or found
        bare = skeleton(latin)
        key = found or bare
        canonical = whole or key or None
        one = frozenset((key, canonical or "")) - _EMPTY
        return NameKeys(latin, canonical, one, frozenset((bare,)), bool(whole))
    # a Latin form folds and transliterates to itself, so each form is looked up once
    whole = dictionary.lookup(folded) or dictionary.lookup(_compact(latin))
    tokens = [t for t in latin.split(" ") if t not in _ARTICLES] or latin.split(" ")
    found_keys = [dictionary.lookup(t) for t in tokens]
    known = bool(whole) or all(found_keys)
    consonants = [skeleton(t) for t in tokens]
    keys = [key or bare for key, bare in zip(found_keys, consonants, strict=True)]
    canonical = whole or "".join(keys) or None
    variants = set(keys)
    skeletons = {*consonants, skeleton(_compact(latin))}
    if canonical:
        variants.add(canonical)
    return NameKeys(
        latin, canonical, frozenset(v for v in variants if v), frozenset(skeletons), known
    )


def all_keys(names: Iterable[str | None], dictionary: VariantDictionary) -> NameKeys:
    """The union of the keys of several names (parts of a chain, other spellings)."""
    variants: set[str] = set()
    skeletons: set[str] = set()
    for name in names:
        keys = name_keys(name, dictionary)
        variants |= keys.variants
        skeletons |= keys.skeletons
    skeletons.discard("")
    return NameKeys("", None, frozenset(variants), frozenset(skeletons))
