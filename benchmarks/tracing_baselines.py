"""Baselines of the tracing benchmark: exact match on normalised names and year of birth,
Splink with its default comparisons on the raw strings, and naive all-pairs fuzzy matching."""

from __future__ import annotations

import time

from tracing_population import Person  # type: ignore[import-not-found]

from itinera.engines.names import to_latin

__all__ = ["exact_pairs", "rapidfuzz_all_pairs_seconds", "splink_raw_baseline"]


def exact_pairs(people: list[Person]) -> set[frozenset[str]]:
    """Pairs with the same Latin given and family names and year of birth."""
    exact: dict[tuple[str, str, int], list[str]] = {}
    for p in people:
        key = (to_latin(p["given"]), to_latin(p["family"]), p["year"])
        exact.setdefault(key, []).append(p["id"])
    return {frozenset((a, b)) for ids in exact.values() for a in ids for b in ids if a < b}


def rapidfuzz_all_pairs_seconds(people: list[Person], subset: int = 20_000) -> tuple[float, float]:
    """Seconds (wall, CPU) rapidfuzz would take over all pairs of ``people`` (n² / 2 pairs, at
    the size of the population measured), extrapolated from a 1,000-row slice of a
    ``subset``-record subset (token-sort ratio on the Latin full name, one thread)."""
    from rapidfuzz import fuzz, process

    names = [f"{to_latin(p['given'])} {to_latin(p['family'])}" for p in people[:subset]]
    slice_rows = 1_000
    started, cpu = time.perf_counter(), time.process_time()
    process.cdist(names[:slice_rows], names, scorer=fuzz.token_sort_ratio, workers=1)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    scale = (len(people) ** 2) / (slice_rows * len(names)) / 2
    return seconds * scale, cpu * scale


def splink_raw_baseline(
    people: list[Person], memory_limit: str, spill: str
) -> list[tuple[str, str, float]]:
    """Splink's default comparisons on the raw strings (names, parents' names, year of birth,
    sex, nationality, last-seen place and date as written), DuckDB bounded as Itinera's run
    is."""
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
            "father": p["father"],
            "mother": p["mother"],
            "place": p["place"],
            "seen": p["seen"],
        }
        for p in people
    ]
    config = {"memory_limit": memory_limit, "temp_directory": spill}
    api = DuckDBAPI(duckdb.connect(":memory:", config=config))
    table = api.register(pa.Table.from_pylist(rows))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given"),
            cl.NameComparison("family"),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.NameComparison("father"),
            cl.NameComparison("mother"),
            cl.ExactMatch("place"),
            cl.ExactMatch("seen"),
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
