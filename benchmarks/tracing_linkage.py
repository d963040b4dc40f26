"""Tracing linkage (C10) on a labelled synthetic population: quality, speed, memory.

    .venv/bin/python benchmarks/tracing_linkage.py --records 1000000 [--seed 7] [--svg FILE]

The population (no real person): given names drawn from the variant dictionary's groups with
Zipf weights (common names as frequent as in registries) and from a pool of synthetic rare
names; family names mostly rare; ten nationalities; birth years 1960-2015. About 5% of the
records have a true match held by another organisation (a pair: one record in Latin as the
first organisation wrote it, one as the second did), with this noise on the second record:

- 60%: each name replaced by a transliteration variant (another spelling of its dictionary
  group, else a spelling pattern: ou/u, e/a, doubled or single letters, kh/x, final -e);
  30% of those are in the original script instead (Arabic, Ethiopic from the dictionary; the
  Arabic consonant skeleton for other names);
- 10%: given and family names swapped (half) or the family name's first part dropped;
- 25%: only the year of birth; 5%: year of birth off by 1-2; 3%: one typo in the family name;
- 30%: no last-seen place (the model does not compare places yet, so this changes nothing).

Measured in the same run: blocking recall on its own (true pairs that at least one blocking rule
keeps); Itinera's model (keys + Splink, EM-trained); baselines: exact match on normalised names
and year of birth, and Splink with its default comparisons on the raw strings; runtime against
Splink used directly with the same settings; naive all-pairs fuzzy matching (rapidfuzz) timed on
a slice of a 20,000-record subset and extrapolated; peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from itinera.engines.linkage import LinkageRecord, SplinkLinkage
from itinera.engines.names import VariantDictionary, all_keys, name_keys, to_latin
from itinera.reference.name_variants import packaged_name_variants

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


def to_record(person: Person, dictionary: VariantDictionary) -> LinkageRecord:
    given, family = name_keys(person["given"], dictionary), name_keys(person["family"], dictionary)
    every = all_keys([person["given"], person["family"]], dictionary)
    return LinkageRecord(
        person["id"],
        given.canonical,
        family.canonical,
        given.latin or None,
        family.latin or None,
        tuple(sorted(every.variants)),
        tuple(sorted(every.skeletons)),
        person["year"],
        person["dob"],
        person["sex"],
        person["nationality"],
    )


def blocked(left: LinkageRecord, right: LinkageRecord) -> bool:
    """The blocking rules of engines/linkage_model.py, evaluated on one pair."""
    same_year_nat = left.birth_year == right.birth_year and left.nationality == right.nationality
    band = (left.birth_year or 0) // 5 == (right.birth_year or 0) // 5
    return bool(
        (
            left.given_key
            and (left.given_key, left.family_key) == (right.given_key, right.family_key)
        )
        or (
            left.given_key
            and (left.given_key, left.family_key) == (right.family_key, right.given_key)
        )
        or (same_year_nat and set(left.name_keys) & set(right.name_keys))
        or (same_year_nat and set(left.skeletons) & set(right.skeletons))
        or (
            left.family_key
            and left.family_key == right.family_key
            and band
            and left.nationality == right.nationality
        )
    )


def curve(scored: Sequence[tuple[float, bool]], positives: int) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) from the highest probability down."""
    points, true = [], 0
    for rank, (probability, correct) in enumerate(sorted(scored, reverse=True), 1):
        true += correct
        points.append((probability, true / rank, true / positives))
    return points


def recall_at(points: list[tuple[float, float, float]], precision: float) -> tuple[float, float]:
    best = max(((r, t) for t, p, r in points if p >= precision), default=(0.0, 1.0))
    return best


def splink_raw_baseline(people: list[Person]) -> list[tuple[str, str, float]]:
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    rows = [
        {
            "unique_id": p["id"],
            "given": p["given"],
            "family": p["family"],
            "birth_year": p["year"],
            "sex": p["sex"],
            "nationality": p["nationality"],
        }
        for p in people
    ]
    api = DuckDBAPI(duckdb.connect(":memory:"))
    table = api.register(pa.Table.from_pylist(rows))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given"),
            cl.NameComparison("family"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given", "family"),
            block_on("family", "birth_year"),
            block_on("given", "birth_year"),
        ],
    )
    linker = Linker(table, settings, log_level=40)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given", "family"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("family", "birth_year")
    )
    found = linker.inference.predict(threshold_match_probability=0.01).as_pyarrow_table()
    return list(
        zip(
            found["unique_id_l"].to_pylist(),
            found["unique_id_r"].to_pylist(),
            found["match_probability"].to_pylist(),
            strict=True,
        )
    )


def svg(
    points: list[tuple[float, float, float]], baseline: list[tuple[float, float, float]]
) -> str:
    def line(values: list[tuple[float, float, float]], colour: str) -> str:
        step = max(1, len(values) // 400)
        xy = " ".join(f"{40 + r * 400:.1f},{420 - p * 400:.1f}" for _, p, r in values[::step])
        return f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{xy}"/>'

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="460" height="460">'
        '<rect x="40" y="20" width="400" height="400" fill="none" stroke="#999"/>'
        '<text x="200" y="450">recall</text><text x="0" y="15">precision</text>'
        f"{line(points, '#1f77b4')}{line(baseline, '#d62728')}"
        '<text x="50" y="440" fill="#1f77b4">Itinera</text>'
        '<text x="130" y="440" fill="#d62728">Splink on raw strings</text></svg>'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--svg", type=Path, default=Path("benchmarks/tracing_pr_curve.svg"))
    args = parser.parse_args()

    started = time.perf_counter()
    population = Population(args.records, args.seed)
    people, truth = population.people, population.truth
    print(
        f"population: {len(people):,} records, {len(truth):,} true pairs, "
        f"{time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    dictionary = VariantDictionary(packaged_name_variants())
    records = [to_record(p, dictionary) for p in people]
    keys_seconds = time.perf_counter() - started
    by_id = {r.unique_id: r for r in records}
    kept = sum(blocked(*(by_id[i] for i in pair)) for pair in truth)
    print(
        f"keys: {keys_seconds:.1f} s; blocking recall {kept / len(truth):.4f} "
        f"({kept:,}/{len(truth):,})"
    )

    started = time.perf_counter()
    result = SplinkLinkage(train=True).link(records, 0.01)
    link_seconds = time.perf_counter() - started
    scored = [(p.probability, frozenset((p.left, p.right)) in truth) for p in result.pairs]
    points = curve(scored, len(truth))
    recall, threshold = recall_at(points, 0.99)
    print(
        f"itinera: {link_seconds:.1f} s link (+{keys_seconds:.1f} s keys), {len(scored):,} pairs "
        f"≥0.01; recall {recall:.4f} at precision ≥0.99 (threshold {threshold:.3f})"
    )

    started = time.perf_counter()
    SplinkLinkage(train=True).link(records, 0.01)  # the same settings, keys already computed
    direct_seconds = time.perf_counter() - started
    print(
        f"splink with the same settings, keys given: {direct_seconds:.1f} s; "
        f"ratio {(keys_seconds + link_seconds) / direct_seconds:.2f}"
    )

    exact: dict[tuple[str, str, int], list[str]] = {}
    for p in people:
        exact.setdefault((to_latin(p["given"]), to_latin(p["family"]), p["year"]), []).append(
            p["id"]
        )
    exact_pairs = {frozenset((a, b)) for ids in exact.values() for a in ids for b in ids if a < b}
    exact_true = len(exact_pairs & truth)
    print(
        f"baseline exact: recall {exact_true / len(truth):.4f}, "
        f"precision {exact_true / max(len(exact_pairs), 1):.4f}"
    )

    started = time.perf_counter()
    raw = splink_raw_baseline(people)
    raw_points = curve([(p, frozenset((a, b)) in truth) for a, b, p in raw], len(truth))
    raw_recall, raw_threshold = recall_at(raw_points, 0.99)
    print(
        f"baseline splink raw: {time.perf_counter() - started:.1f} s; recall {raw_recall:.4f} "
        f"at precision ≥0.99 (threshold {raw_threshold:.3f}); Itinera/raw recall "
        f"{recall / max(raw_recall, 1e-9):.2f}x"
    )

    from rapidfuzz import fuzz, process

    subset = [f"{to_latin(p['given'])} {to_latin(p['family'])}" for p in people[:20_000]]
    slice_rows = 1_000
    started = time.perf_counter()
    process.cdist(subset[:slice_rows], subset, scorer=fuzz.token_sort_ratio, workers=1)
    seconds = time.perf_counter() - started
    all_pairs = seconds * (len(people) ** 2) / (slice_rows * len(subset)) / 2
    print(
        f"naive rapidfuzz: {seconds:.1f} s for {slice_rows:,}x{len(subset):,}; extrapolated to "
        f"all pairs of {len(people):,}: {all_pairs / 3600:.1f} h; "
        f"{all_pairs / (keys_seconds + link_seconds):.0f}x slower than Itinera"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB")
    args.svg.write_text(svg(points, raw_points), "utf-8")
    print(f"precision-recall curve: {args.svg}")


if __name__ == "__main__":
    main()
