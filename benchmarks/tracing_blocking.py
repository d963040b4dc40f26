"""Blocking of the tracing benchmark: the rules of ``engines/linkage_model.py`` evaluated on
one pair (blocking recall on the labelled population), and Splink's exact count of the
comparisons they make."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence

from itinera.engines.linkage import LinkageRecord
from itinera.engines.linkage_model import COMMON_NAME_RECORDS

__all__ = ["blocked", "blocked_comparisons", "name_counts"]


def blocked(left: LinkageRecord, right: LinkageRecord, counts: Counts) -> bool:
    """The blocking rules of engines/linkage_model.py, evaluated on one pair (``counts``: how
    many records hold each canonical name pair and each family key)."""
    nat = left.nationality == right.nationality
    same = nat and left.birth_year == right.birth_year and left.sex == right.sex
    band = (left.birth_year or 0) // 5 == (right.birth_year or 0) // 5
    dates_agree = left.birth_date == right.birth_date or None in (
        left.birth_date,
        right.birth_date,
    )
    compatible = left.birth_date == right.birth_date or (
        None in (left.birth_date, right.birth_date)
        and (None in (left.birth_year, right.birth_year) or _gap(left, right) <= 2)
    )
    pairs, families = counts
    held = max(pairs[left.given_key, left.family_key], pairs[right.given_key, right.family_key])
    family_held = max(families[left.family_key], families[right.family_key])
    names, swapped = (right.given_key, right.family_key), (right.family_key, right.given_key)
    return bool(
        (
            left.given_key
            and nat
            and (left.given_key, left.family_key) in (names, swapped)
            and (held <= COMMON_NAME_RECORDS or compatible)
        )
        or (same and dates_agree and keys(left) & keys(right))
        or (
            left.family_key
            and left.family_key == right.family_key
            and band
            and nat
            and (family_held <= COMMON_NAME_RECORDS or (left.sex == right.sex and compatible))
        )
    )


Counts = tuple[Counter[tuple[str | None, str | None]], Counter[str | None]]


def name_counts(records: Sequence[LinkageRecord]) -> Counts:
    return (
        Counter((r.given_key, r.family_key) for r in records),
        Counter(r.family_key for r in records),
    )


def keys(record: LinkageRecord) -> set[str]:
    return {*record.name_keys, *record.skeletons}


def _gap(left: LinkageRecord, right: LinkageRecord) -> int:
    return abs((left.birth_year or 0) - (right.birth_year or 0))


def blocked_comparisons(records: Sequence[LinkageRecord], memory_limit: str) -> int:
    """Splink's exact count of the comparisons the blocking rules make (not timed)."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from itinera.engines.linkage_model import blocking_rules
    from itinera.engines.linkage_tables import bounded_duckdb, records_table

    with tempfile.TemporaryDirectory(prefix="itinera-bench-") as spill:
        connection = bounded_duckdb(spill, records_table(records), memory_limit, None)
        counted = count_comparisons_from_blocking_rules(
            DuckDBAPI(connection).register("itinera_records"),
            blocking_rules=blocking_rules(),
            link_type="dedupe_only",
            record_sample_proportion=1.0,
        )
        connection.close()
    return int(counted[-1]["cumulative_comparison_count"])
