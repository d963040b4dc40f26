"""Places a person can name to find what is near: the route catalogue's places and the service
points' localities, with their names in each language and their usual spellings.

Matching is on :func:`normalise_for_search` keys (case, accents, Arabic short vowels, alef and
yaa variants folded), so "agades", "AGADÈS" and "أغاديز" find Agadez; a group of usual
spellings (``reference/data/place_names.yaml``) joins names that differ by more than marks
(Tripoli, Tarabulus, طرابلس). A name nobody knows gets suggestions: names starting with what was
typed, then names containing it, then the closest spellings.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from itinera.domain.gateway_search import normalise_for_search

__all__ = ["KnownPlace", "build_gazetteer", "find_place", "suggest_places"]

_MAX_SUGGESTIONS = 8
_CLOSE_ENOUGH = 0.75


@dataclass(frozen=True)
class KnownPlace:
    id: str  # the catalogue's id, or "locality:<name>:<country>"
    names: Mapping[str, str]  # by language; "en" always present
    country: str | None
    lat: float
    lon: float
    keys: frozenset[str]  # every normalised spelling

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or next(iter(self.names.values()))


def build_gazetteer(
    catalogue: Iterable[tuple[str, Mapping[str, str], str | None, float, float]],
    localities: Iterable[tuple[str, str | None, float, float]],
    groups: Sequence[tuple[Mapping[str, str], Sequence[str]]],
) -> list[KnownPlace]:
    """Catalogue places (id, names, country, lat, lon) first, then the localities that are not
    already one of them; each takes the usual spellings of the group its names belong to."""
    by_key: dict[str, tuple[Mapping[str, str], frozenset[str]]] = {}
    for names, also in groups:
        keys = frozenset(filter(None, map(normalise_for_search, [*names.values(), *also])))
        for key in keys:
            by_key[key] = (names, keys)
    found: list[KnownPlace] = []
    seen: set[tuple[str, str | None]] = set()
    for place_id, names, country, lat, lon in catalogue:
        keys = _keys([place_id.replace("-", " "), *names.values()], by_key)
        found.append(KnownPlace(place_id, dict(names), country, lat, lon, keys))
        seen.update((key, country) for key in keys)
    for locality, country, lat, lon in localities:
        key = normalise_for_search(locality)
        if not key or (key, country) in seen:
            continue
        group = by_key.get(key)
        names = {**group[0]} if group else {"en": locality.strip()}
        keys = _keys([locality, *names.values()], by_key)
        found.append(
            KnownPlace(f"locality:{locality}:{country or ''}", names, country, lat, lon, keys)
        )
        seen.update((k, country) for k in keys)
    return found


def _keys(
    spellings: Iterable[str], by_key: Mapping[str, tuple[object, frozenset[str]]]
) -> frozenset[str]:
    keys = {k for k in map(normalise_for_search, spellings) if k}
    for key in list(keys):
        if key in by_key:
            keys |= by_key[key][1]
    return frozenset(keys)


def find_place(gazetteer: Sequence[KnownPlace], typed: str) -> KnownPlace | None:
    """The place whose id or one of whose spellings is what was typed, marks aside."""
    key = normalise_for_search(typed)
    if not key:
        return None
    for place in gazetteer:
        if key in place.keys or typed.strip() == place.id:
            return place
    return None


def suggest_places(
    gazetteer: Sequence[KnownPlace], typed: str, limit: int = _MAX_SUGGESTIONS
) -> list[KnownPlace]:
    """Places for a type-ahead or a "did you mean": prefix, then substring, then close."""
    key = normalise_for_search(typed)
    if not key:
        return []
    ranked: list[tuple[int, float, str, KnownPlace]] = []
    for place in gazetteer:
        best: tuple[int, float] | None = None
        for spelling in place.keys:
            if spelling.startswith(key) or any(w.startswith(key) for w in spelling.split()):
                score = (0, 0.0)
            elif key in spelling:
                score = (1, 0.0)
            else:
                ratio = difflib.SequenceMatcher(None, key, spelling).ratio()
                if ratio < _CLOSE_ENOUGH:
                    continue
                score = (2, -ratio)
            best = score if best is None or score < best else best
        if best is not None:
            ranked.append((best[0], best[1], place.names.get("en", place.id), place))
    ranked.sort(key=lambda r: (r[0], r[1], r[2]))
    return [r[3] for r in ranked[:limit]]
