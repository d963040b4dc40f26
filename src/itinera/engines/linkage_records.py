"""What the linkage engine reads of a person: one flat record of keys (canonical name keys,
variants, consonant skeletons, birth, sex, nationality, the last-seen place, the parents'
names), made from names in any script by :func:`keyed_record`. No SQL, no Splink here."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from itinera.domain.tracing_places import PlacePoint
from itinera.engines.names import VariantDictionary, all_keys, name_keys

__all__ = ["LinkageRecord", "collection_paused", "keyed_record", "objects_frozen"]


class LinkageRecord(NamedTuple):
    """One record as the engine sees it: keys from :mod:`itinera.engines.names`. A tuple, so
    that a run's records become columns by one transposition (``zip(*records)``)."""

    unique_id: str
    given_key: str | None
    family_key: str | None
    given_latin: str | None
    family_latin: str | None
    name_keys: tuple[str, ...]
    skeletons: tuple[str, ...]
    birth_year: int | None
    birth_date: str | None  # ISO date
    sex: str | None
    nationality: str | None
    given_skeletons: tuple[str, ...] = ()  # per field, so that a given name's consonants
    family_skeletons: tuple[str, ...] = ()  # are not credited against the family name
    given_known: bool = False  # canonical key from the variant dictionary (else a skeleton,
    family_known: bool = False  # which unrelated names may share)
    place_id: str | None = None  # last seen (or arrival) place, through the route catalogue
    place_country: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None
    place_legs: tuple[str, ...] = ()  # catalogue legs touching the place (same stretch)
    seen_date: str | None = None  # ISO date last seen there (or of arrival)
    father_key: str | None = None  # None when it is the family name already (Habesha,
    father_latin: str | None = None  # Somali chains), so that one name is not counted twice
    father_known: bool = False
    mother_key: str | None = None
    mother_latin: str | None = None
    mother_known: bool = False
    other_keys: tuple[str, ...] = ()  # keys of the names besides given and family (the
    # grandfather's in a chain, other spellings)


def keyed_record(
    unique_id: str,
    names: tuple[str | None, str | None],
    others: Sequence[str | None],
    birth: tuple[int | None, str | None],
    sex: str | None,
    nationality: str | None,
    dictionary: VariantDictionary,
    place: PlacePoint | None = None,
    *,
    parents: tuple[str | None, str | None] = (None, None),
    seen: str | None = None,
) -> LinkageRecord:
    """The record of a person from given and family names (any script), other names (chain
    parts, other spellings), year and ISO date of birth, the catalogue place where the person
    was last seen and its ISO date, and the father's and mother's names; keys from
    :mod:`engines.names`."""
    given, family = name_keys(names[0], dictionary), name_keys(names[1], dictionary)
    father = name_keys(parents[0], dictionary) if parents[0] else None
    mother = name_keys(parents[1], dictionary) if parents[1] else None
    if father and father.canonical == family.canonical:
        father = None  # the family name is the father's (a name chain): weighed once
    named = given.variants | family.variants
    skeletons = given.skeletons | family.skeletons
    rest: frozenset[str] = frozenset()
    if others:  # once: the chain's other parts, other spellings
        other = all_keys(others, dictionary)
        rest = other.variants - named
        named, skeletons = named | other.variants, skeletons | other.skeletons
    return LinkageRecord(
        unique_id=unique_id,
        given_key=given.canonical,
        family_key=family.canonical,
        given_latin=given.latin or None,
        family_latin=family.latin or None,
        name_keys=tuple(sorted(named)),
        skeletons=tuple(sorted(skeletons - {""})),
        birth_year=birth[0],
        birth_date=birth[1],
        sex=sex,
        nationality=nationality or None,
        given_skeletons=given.sorted_skeletons,
        family_skeletons=family.sorted_skeletons,
        given_known=given.known,
        family_known=family.known,
        place_id=place.place_id if place else None,
        place_country=place.country if place else None,
        place_lat=place.lat if place else None,
        place_lon=place.lon if place else None,
        place_legs=place.legs if place else (),
        seen_date=seen if place else None,
        father_key=father.canonical if father else None,
        father_latin=(father.latin or None) if father else None,
        father_known=bool(father and father.known),
        mother_key=mother.canonical if mother else None,
        mother_latin=(mother.latin or None) if mother else None,
        mother_known=bool(mother and mother.known),
        other_keys=tuple(sorted(rest)),
    )


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a run's records are keyed. Each record
    makes a few tuples and sets, and every few hundred of them the collector would walk
    everything alive, the decrypted records included: a third of the keying time on 50,000
    records. Records hold no cycles (reference counting frees them as before); the collector
    is resumed after, unless it was off already."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def objects_frozen() -> Iterator[None]:
    """Everything alive, the run's records and the decrypted registry included, left out of
    the collector's passes while the engine runs (``gc.freeze``), and given back after. The
    records are new: the collector's next full pass would walk all of them once more, in the
    middle of Splink's SQL building (a fifth of a second on 50,000 records)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
