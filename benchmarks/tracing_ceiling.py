"""The ceiling of the tracing benchmark: the share of true pairs no model can rank first.

    PYTHONPATH=src .venv/bin/python benchmarks/tracing_ceiling.py --records 100000 1000000

For each true pair (a, b) of the labelled population (``tracing_population.py``), is there a
third record c whose agreement with a (or with b) is the same or better than b's (a's) on
every field the generator writes? Then any model that scores a pair by how its fields agree
ranks the false pair (a, c) at least as high as the true one, and the true pair can be found at
precision 0.99 only if such ties are rare. The share of true pairs with no such c bounds the
recall any model can reach (term frequencies aside: c agrees with a on a's own names).

Agreement per field, higher is better, a missing field between agreement and disagreement:
each name (given and family, in the better of the two orders; father's; mother's; the
grandfather's in a chain): 3 same spelling, 2 same canonical key (dictionary or consonants),
1 a shared consonant skeleton or Jaro-Winkler >= 0.88, 0.5 missing, 0 different; birth: 5
same date, 4 same year, 3 and 2 years 1 and 2 apart (a side with only the year), 0 else; sex,
nationality: 1 equal; last-seen place: 3 same place, 2 same route leg, 1 same country, 0.5
missing; last-seen date: 3 within 30 days, 2 within 90, 1 within a year, 0.5 missing. The
ceiling is given twice: on the fields the previous population carried (names, birth, sex,
nationality) and on every field.
"""

from __future__ import annotations

import argparse
import datetime
from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz.distance import JaroWinkler
from tracing_linkage import to_record  # type: ignore[import-not-found]
from tracing_population import Person, Population  # type: ignore[import-not-found]

from itinera.engines.linkage import LinkageRecord
from itinera.engines.names import VariantDictionary, name_keys
from itinera.reference.name_variants import packaged_name_variants

__all__ = ["ceiling"]

OLD_WIDTH = 5  # two names, birth, sex, nationality: the first components of a vector
BIRTH = 2
Vector = tuple[float, ...]


NameField = tuple[str | None, str | None, tuple[str, ...]]  # Latin form, canonical key, skeletons


def _name(x: NameField, y: NameField) -> float:
    (x_latin, x_key, x_skel), (y_latin, y_key, y_skel) = x, y
    if not x_key or not y_key:
        return 0.5
    if x_latin == y_latin:
        return 3
    if x_key == y_key:
        return 2
    if set(x_skel) & set(y_skel) or JaroWinkler.similarity(x_latin or "", y_latin or "") >= 0.88:
        return 1
    return 0


class _Fields:
    def __init__(self, person: Person, record: LinkageRecord, dictionary: VariantDictionary):
        r = record
        self.given = (r.given_latin, r.given_key, r.given_skeletons)
        self.family = (r.family_latin, r.family_key, r.family_skeletons)
        self.father = self._other(person["father"], dictionary)
        self.mother = self._other(person["mother"], dictionary)
        parts = person["parts"]
        self.grandfather = self._other(parts[2] if len(parts) > 2 else None, dictionary)
        self.year, self.dob = r.birth_year or 0, r.birth_date
        self.sex, self.nationality = r.sex, r.nationality
        self.place, self.legs, self.country = r.place_id, set(r.place_legs), r.place_country
        seen = person["seen"]
        self.day = datetime.date.fromisoformat(seen).toordinal() if seen else None
        self.keys = {k for k in (r.given_key, r.family_key) if k}

    @staticmethod
    def _other(name: str | None, dictionary: VariantDictionary) -> NameField:
        if not name:
            return (None, None, ())
        keys = name_keys(name, dictionary)
        return (keys.latin, keys.canonical, tuple(keys.skeletons))


def _vector(x: _Fields, y: _Fields) -> Vector:
    straight = (_name(x.given, y.given), _name(x.family, y.family))
    swapped = (_name(x.given, y.family), _name(x.family, y.given))
    names = max(straight, swapped, key=sum)
    if x.dob and x.dob == y.dob:
        birth = 5.0
    elif (x.dob is None or y.dob is None) and abs(x.year - y.year) <= 2:
        birth = 4.0 - abs(x.year - y.year)
    else:
        birth = 0.0
    if x.place is None or y.place is None:
        place = 0.5
    else:
        place = 3 if x.place == y.place else 2 if x.legs & y.legs else int(x.country == y.country)
    if x.day is None or y.day is None:
        seen = 0.5
    else:
        apart = abs(x.day - y.day)
        seen = 3 if apart <= 30 else 2 if apart <= 90 else 1 if apart <= 365 else 0
    return (
        *sorted(names, reverse=True),
        birth,
        float(x.sex == y.sex),
        float(x.nationality == y.nationality),
        _name(x.father, y.father),
        _name(x.mother, y.mother),
        _name(x.grandfather, y.grandfather),
        place,
        seen,
    )


def _dominates(candidate: Vector, true: Vector, width: int) -> bool:
    return all(c >= t for c, t in zip(candidate[:width], true[:width], strict=True))


def ceiling(people: Sequence[Person], truth: set[frozenset[str]]) -> dict[str, float]:
    """The share of true pairs with no dominating third record, on the old fields and on all,
    and the share not searched (names sharing no key, a side with only the year: the third
    records to scan would be every record born within two years; counted as tied)."""
    dictionary = VariantDictionary(packaged_name_variants())
    fields = {p["id"]: _Fields(p, to_record(p, dictionary), dictionary) for p in people}
    by_date: dict[str | None, list[str]] = defaultdict(list)
    by_key: dict[tuple[str, int], list[str]] = defaultdict(list)  # a name key and a year
    by_keys: dict[tuple[frozenset[str], int], list[str]] = defaultdict(list)  # both names
    year_only: dict[tuple[str, int], list[str]] = defaultdict(list)
    for uid, f in fields.items():
        by_date[f.dob].append(uid)
        by_keys[frozenset(f.keys), f.year].append(uid)
        for key in f.keys:
            (by_key if f.dob else year_only)[key, f.year].append(uid)
            if not f.dob:
                by_key[key, f.year].append(uid)
    free = {"old": 0, "all": 0}
    unsearched = 0
    for pair in truth:
        a, b = sorted(pair)
        true = _vector(fields[a], fields[b])
        tied = {"old": False, "all": False}
        for x in (a, b):
            pool = _pool(fields[x], true, by_date, by_key, by_keys, year_only)
            if pool is None:
                tied = {"old": True, "all": True}
                unsearched += 1
                break
            for c in pool:
                if c in pair:
                    continue
                vector = _vector(fields[x], fields[c])
                tied["old"] = tied["old"] or _dominates(vector, true, OLD_WIDTH)
                tied["all"] = tied["all"] or _dominates(vector, true, len(true))
                if tied["all"]:
                    break
            if tied["all"]:
                break
        for kind in free:
            free[kind] += not tied[kind]
    found = {kind: count / len(truth) for kind, count in free.items()}
    return found | {"unsearched": unsearched / len(truth)}


def _pool(
    x: _Fields,
    true: Vector,
    by_date: dict[str | None, list[str]],
    by_key: dict[tuple[str, int], list[str]],
    by_keys: dict[tuple[frozenset[str], int], list[str]],
    year_only: dict[tuple[str, int], list[str]],
) -> list[str] | None:
    """Every third record that could agree with ``x`` as well as its partner does on the
    names and the birth (the rest is checked on each), or None when they are too many."""
    best, second, birth = true[0], true[1], true[BIRTH]
    if birth == 5:
        return by_date[x.dob]
    years = range(x.year - int(4 - birth), x.year + int(4 - birth) + 1)
    if second >= 2:  # both names share a key: the third record holds both
        return [c for y in years for c in by_keys[frozenset(x.keys), y]]
    if best < 2:
        return None
    # a side with only the year: a third record needs the same date or only a year itself
    index = year_only if x.dob else by_key
    pool = [c for k in x.keys for y in years for c in index[k, y]]
    return pool + by_date[x.dob] if x.dob else pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for size in args.records:
        population = Population(size, args.seed)
        found = ceiling(population.people, population.truth)
        print(
            f"{size:,} records, {len(population.truth):,} true pairs: recall ceiling "
            f"{found['old']:.4f} on names, birth, sex and nationality; {found['all']:.4f} on "
            f"every field the generator writes ({found['unsearched']:.4f} not searched, counted"
            " as tied)"
        )


if __name__ == "__main__":
    main()
