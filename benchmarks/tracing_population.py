"""The labelled synthetic population of the tracing benchmark (C10): no real person.

Given names are drawn from the variant dictionary's groups with Zipf weights (common names as
frequent as in registries: the first group is about a quarter of the dictionary's draws) and
from a pool of 20,000 synthetic rare names; family names are a dictionary name 25% of the time,
else one of 150,000 synthetic rare names; ten nationalities with unequal weights; birth years
1960-2015 with a full date. About 5% of the records have a true match held by another
organisation (a pair: one record as the first organisation wrote it, one as the second did),
with this noise on the second record, each drawn independently:

- 60%: each name replaced by a transliteration variant (another spelling of its dictionary
  group, else a spelling pattern: ou/u, e/a, doubled or single letters, kh/x, final -e);
  30% of those are in the original script instead (Arabic, Ethiopic from the dictionary; the
  Arabic consonant skeleton for other names);
- 10%: given and family names swapped (half) or the family name's first part dropped;
- 25%: only the year of birth; 5%: year of birth off by 1-2 (and only the year);
- 3%: one typo in the family name;
- 30%: no last-seen place (the population has no places: the model's place comparison is not
  measured here).

The first organisation's records always carry a full date of birth, so a record with only a
year is more often a second record than it would be in a real registry (stated in RESULTS.md).
"""

from __future__ import annotations

import random
from typing import Any

from itinera.engines.names import to_latin
from itinera.reference.name_variants import packaged_name_variants

__all__ = ["NATIONALITIES", "Person", "Population", "noise_recipe"]


def noise_recipe() -> str:
    """The population and noise paragraphs of this module's docstring, for RESULTS.md."""
    return (__doc__ or "").split("\n\n", 1)[1].strip()


NATIONALITIES = ["SDN", "ERI", "SOM", "AFG", "SYR", "GIN", "MLI", "NGA", "ETH", "CIV"]
_SYLLABLES = [c + v for c in "bdfghjklmnrstwyz" for v in "aeiou"]
_ARABIC = dict(zip("bdfghjklmnqrstwyz", "بدفغهجكلمنقرستويز", strict=True))
Person = dict[str, Any]


def _latin(spelling: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in spelling)


def _synthetic_names(rng: random.Random, count: int) -> list[str]:
    names = set()
    while len(names) < count:
        names.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize())
    return sorted(names)


def _respell(rng: random.Random, name: str) -> str:
    for old, new in (("ou", "u"), ("u", "ou"), ("e", "a"), ("a", "e"), ("kh", "x"), ("i", "ee")):
        if old in name.lower() and rng.random() < 0.5:
            return name.replace(old, new, 1)
    return name + "e" if not name.endswith("e") else name[:-1]


def _arabic_skeleton(name: str) -> str:
    return "".join(_ARABIC.get(c, "") for c in to_latin(name) if c not in "aeiou") or name


class Population:
    def __init__(self, records: int, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.groups = packaged_name_variants()
        keys = sorted(self.groups)
        weights = [1 / (rank + 1) for rank in range(len(keys))]  # Zipf
        rare_given, rare_family = _synthetic_names(rng, 20_000), _synthetic_names(rng, 150_000)
        pairs = int(records * 0.05 / 2)
        self.people: list[Person] = []
        self.truth: set[frozenset[str]] = set()
        for index in range(records - pairs):
            if rng.random() < 0.6:
                given = self.groups[rng.choices(keys, weights)[0]][0]
            else:
                given = rng.choice(rare_given)
            if rng.random() < 0.25:
                family = self.groups[rng.choices(keys, weights)[0]][0]
            else:
                family = rng.choice(rare_family)
            year = rng.randint(1960, 2015)
            self.people.append(
                {
                    "id": f"a{index}",
                    "given": given,
                    "family": family,
                    "year": year,
                    "dob": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "sex": rng.choice(["male", "female"]),
                    "nationality": rng.choices(NATIONALITIES, [9, 8, 7, 6, 5, 4, 3, 3, 2, 2])[0],
                }
            )
        for index, original in enumerate(rng.sample(self.people, pairs)):
            twin = self._noisy(dict(original))
            twin["id"] = f"b{index}"
            self.people.append(twin)
            self.truth.add(frozenset((original["id"], twin["id"])))

    def _variant(self, name: str, script: bool) -> str:
        group = next((g for g in self.groups.values() if name in g), None)
        if group:
            pool = [s for s in group if (not _latin(s)) == script and s != name]
            if pool:
                return self.rng.choice(pool)
        return _arabic_skeleton(name) if script else _respell(self.rng, name)

    def _noisy(self, person: Person) -> Person:
        rng = self.rng
        if rng.random() < 0.6:
            script = rng.random() < 0.3
            person["given"] = self._variant(person["given"], script)
            person["family"] = self._variant(person["family"], script)
        if rng.random() < 0.1:
            if rng.random() < 0.5:
                person["given"], person["family"] = person["family"], person["given"]
            elif " " in person["family"]:
                person["family"] = person["family"].split(" ", 1)[1]
        if rng.random() < 0.25:
            person["dob"] = None
        if rng.random() < 0.05:
            person["year"] += rng.choice([-2, -1, 1, 2])
            person["dob"] = None
        if rng.random() < 0.03 and len(person["family"]) > 3:
            at = rng.randrange(len(person["family"]))
            person["family"] = person["family"][:at] + "x" + person["family"][at + 1 :]
        return person
