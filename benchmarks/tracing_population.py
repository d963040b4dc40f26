"""The labelled synthetic population of the tracing benchmark (C10): no real person.

Given names are drawn from the variant dictionary's groups with Zipf weights (common names as
frequent as in registries: the first group is about a quarter of the dictionary's draws) and
from a pool of 20,000 synthetic rare names; ten nationalities with unequal weights; sex even;
languages by nationality; birth years 1960-2015 with a full date. Eritrean, Ethiopian and
Somali names are chains (Habesha and Somali naming): the given name, the father's given name
(written as the family name and as the father's name) and the grandfather's, each drawn as a
given name; other family names are a dictionary name 25% of the time, else one of 150,000
synthetic rare names, with the father's given name on 50% of the records. The mother's given
name is on 40% of the records. Each person is somewhere along a route of the catalogue: the
route drawn among those through the person's country with weights of the real flows (IOM
Missing Migrants Project, dead and missing per route 2014-2025, a proxy for how many travel
each), a place of the route's legs, a date in 2015-2025; 70% of the records carry that place as
the last-seen place with its date, 30% no last-seen place (every record, drawn independently).
About 5% of the records have a true match held by another organisation (a pair: one record as
the first organisation wrote it, one as the second did). The second record sees the same person
at the same place (half) or at the other end of a leg of the route through that place (half),
within 90 days either way, and carries this noise, each drawn independently:

- 60%: each name (given, family, father's, mother's, chain parts) replaced by a transliteration
  variant (another spelling of its dictionary group, else a spelling pattern: ou/u, e/a,
  doubled or single letters, kh/x, final -e); 30% of those are in the original script instead
  (Arabic, Ethiopic from the dictionary; the Arabic consonant skeleton for other names);
- 10%: given and family names swapped (half) or a name part dropped (the grandfather's in a
  chain, else the family name's first part);
- 25%: only the year of birth; 5%: year of birth off by 1-2 (and only the year);
- 3%: one typo in the family name;
- 30%: no last-seen place (and no date);
- the father's name (outside chains) and the mother's present at the rates above, drawn anew.

The first organisation's records always carry a full date of birth, so a record with only a
year is more often a second record than it would be in a real registry (stated in RESULTS.md).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from itinera.engines.names import to_latin
from itinera.reference.catalogue import load_catalogue
from itinera.reference.name_variants import packaged_name_variants

__all__ = ["NATIONALITIES", "ROUTE_FLOWS", "Person", "Population", "noise_recipe"]


def noise_recipe() -> str:
    """The population and noise paragraphs of this module's docstring, for RESULTS.md."""
    return (__doc__ or "").split("\n\n", 1)[1].strip()


NATIONALITIES = ["SDN", "ERI", "SOM", "AFG", "SYR", "GIN", "MLI", "NGA", "ETH", "CIV"]
CHAINS = {"ERI", "ETH", "SOM"}  # names formed as given name + father's + grandfather's
LANGUAGES = {
    "SDN": ["ar"],
    "ERI": ["ti", "ar"],
    "SOM": ["so", "ar"],
    "AFG": ["prs", "ps"],
    "SYR": ["ar", "ku"],
    "GIN": ["ff", "fr"],
    "MLI": ["bm", "fr"],
    "NGA": ["en", "yo"],
    "ETH": ["am", "om"],
    "CIV": ["fr", "dyu"],
}
ROUTE_FLOWS = {  # IOM Missing Migrants Project, dead and missing 2014-2025-04 by its route
    "central-mediterranean": 24_799,  # Central Mediterranean
    "east-africa": 6_720,  # Sahara Desert crossing
    "west-africa-atlantic": 5_493,  # Western Africa / Atlantic route to the Canary Islands
    "western-mediterranean": 4_413,
    "south-west-asia-europe": 4_024,  # Afghanistan to Iran
    "gulf-of-aden": 3_705,  # Eastern Route to/from EHOA
    "eastern-mediterranean": 3_486,  # + Türkiye-Europe land, Iran and Syria to Türkiye
    "southern-africa": 484,  # Route to Southern Africa
}
PLACE_SHOWN, FATHER_SHOWN, MOTHER_SHOWN = 0.7, 0.5, 0.4
_FIRST_DAY, _DAYS = datetime.date(2015, 1, 1), 11 * 365
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


class _Routes:
    """Routes through each nationality's country, weighted by flow, and each place's
    neighbours along the legs of a route."""

    def __init__(self) -> None:
        routes = load_catalogue().routes
        self.by_country: dict[str, tuple[list[str], list[int]]] = {}
        for country in NATIONALITIES:
            through = [r for r in ROUTE_FLOWS if country in routes[r].place_ids()]
            self.by_country[country] = (through, [ROUTE_FLOWS[r] for r in through])
        self.places = {r: routes[r].place_ids() for r in ROUTE_FLOWS}
        self.next: dict[tuple[str, str], list[str]] = {}
        for r in ROUTE_FLOWS:
            for leg in routes[r].legs:
                self.next.setdefault((r, leg.from_place), []).append(leg.to_place)
                self.next.setdefault((r, leg.to_place), []).append(leg.from_place)


class Population:
    def __init__(self, records: int, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.groups = packaged_name_variants()
        self.routes = _Routes()
        self.keys = sorted(self.groups)
        self.weights = [1 / (rank + 1) for rank in range(len(self.keys))]  # Zipf
        self.rare_given = _synthetic_names(rng, 20_000)
        rare_family = _synthetic_names(rng, 150_000)
        pairs = int(records * 0.05 / 2)
        self.people: list[Person] = []
        self.truth: set[frozenset[str]] = set()
        for index in range(records - pairs):
            nationality = rng.choices(NATIONALITIES, [9, 8, 7, 6, 5, 4, 3, 3, 2, 2])[0]
            given, father, grandfather = (self._given_name() for _ in range(3))
            chain = nationality in CHAINS
            if chain:
                family = father
            elif rng.random() < 0.25:
                family = self.groups[rng.choices(self.keys, self.weights)[0]][0]
            else:
                family = rng.choice(rare_family)
            year = rng.randint(1960, 2015)
            through, flows = self.routes.by_country[nationality]
            route = rng.choices(through, flows)[0]
            person = {
                "id": f"a{index}",
                "given": given,
                "family": family,
                "parts": [given, father, grandfather] if chain else [],
                "father_true": father,
                "mother_true": self._given_name(),
                "year": year,
                "dob": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "sex": rng.choice(["male", "female"]),
                "nationality": nationality,
                "languages": LANGUAGES[nationality],
                "route": route,
                "at": rng.choice(self.routes.places[route]),
                "day": rng.randrange(_DAYS),
            }
            self.people.append(self._shown(person))
        for index, original in enumerate(rng.sample(self.people, pairs)):
            twin = self._shown(self._noisy(dict(original)))
            twin["id"] = f"b{index}"
            self.people.append(twin)
            self.truth.add(frozenset((original["id"], twin["id"])))

    def _given_name(self) -> str:
        if self.rng.random() < 0.6:
            return self.groups[self.rng.choices(self.keys, self.weights)[0]][0]
        return self.rng.choice(self.rare_given)

    def _shown(self, person: Person) -> Person:
        """What a record carries of the person: the father's and mother's names, the place
        and date last seen, each at its rate."""
        rng = self.rng
        chain = person["nationality"] in CHAINS
        person["father"] = person["father_true"] if chain or rng.random() < FATHER_SHOWN else None
        person["mother"] = person["mother_true"] if rng.random() < MOTHER_SHOWN else None
        seen = rng.random() < PLACE_SHOWN
        person["place"] = person["at"] if seen else None
        day = _FIRST_DAY + datetime.timedelta(days=person["day"])
        person["seen"] = day.isoformat() if seen else None
        return person

    def _variant(self, name: str, script: bool) -> str:
        group = next((g for g in self.groups.values() if name in g), None)
        if group:
            pool = [s for s in group if (not _latin(s)) == script and s != name]
            if pool:
                return self.rng.choice(pool)
        return _arabic_skeleton(name) if script else _respell(self.rng, name)

    def _noisy(self, person: Person) -> Person:
        rng = self.rng
        nearby = self.routes.next.get((person["route"], person["at"]), [])
        if nearby and rng.random() < 0.5:
            person["at"] = rng.choice(nearby)
        person["day"] = min(max(person["day"] + rng.randint(-90, 90), 0), _DAYS - 1)
        if rng.random() < 0.6:
            script = rng.random() < 0.3
            spelt: dict[str, str] = {}  # one spelling per name in a record

            def respelt(name: str) -> str:
                return spelt.setdefault(name, self._variant(name, script))

            for field in ("given", "family", "father_true", "mother_true"):
                person[field] = respelt(person[field])
            person["parts"] = [respelt(part) for part in person["parts"]]
        if rng.random() < 0.1:
            if rng.random() < 0.5:
                person["given"], person["family"] = person["family"], person["given"]
            elif person["parts"]:
                person["parts"] = person["parts"][:2]
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
