"""Blocking of common names (decision 0038): a name held by many records is compared only
with births not known to differ, a rare name keeps its whole block, and training runs on a
share of the days of a large registry."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from itinera.engines.linkage import (
    TRAINING_RECORDS,
    LinkageRecord,
    SplinkLinkage,
    keyed_record,
    same_day_rule,
)
from itinera.engines.linkage_model import COMMON_NAME_RECORDS
from itinera.engines.linkage_tables import bounded_duckdb, records_table
from itinera.engines.names import VariantDictionary
from itinera.reference.name_variants import packaged_name_variants

DICTIONARY = VariantDictionary(packaged_name_variants())


def _record(uid: str, names: tuple[str, str], year: int, born: date | None) -> LinkageRecord:
    birth = (year, born.isoformat() if born else None)
    return keyed_record(uid, names, [], birth, "male", "SDN", DICTIONARY)


def test_a_common_name_is_compared_only_with_births_that_may_agree() -> None:
    common = ("Mohamed", "Abderrahmane")
    many = [
        _record(f"c{i}", common, 1960 + i, date(1960 + i, 3, 1))
        for i in range(COMMON_NAME_RECORDS + 5)
    ]
    twin = _record("twin", ("Mhamed", "Abdulrahman"), 1960, date(1960, 3, 1))
    year_only = _record("year", common, 1961, None)
    rare = [  # same band, different dates: a rare name keeps its whole block
        _record("r1", ("Yonas", "Tesfay"), 1990, date(1990, 1, 5)),
        _record("r2", ("Yonas", "Tesfay"), 1991, date(1991, 7, 9)),
    ]
    result = SplinkLinkage(train=False).link([*many, twin, year_only, *rare], 0.0)
    compared = {frozenset((p.left, p.right)) for p in result.pairs}
    expected = {frozenset({"c0", "twin"}), frozenset({"r1", "r2"})}
    # the year-only record meets the records born within two years of it (1960-1963)
    expected |= {frozenset({"year", uid}) for uid in ("c0", "c1", "c2", "c3", "twin")}
    assert compared == expected
    # without the split the common name alone would make every pair of its records
    assert len(many) * (len(many) - 1) // 2 > 50 * len(compared)


def test_em_learns_on_a_share_of_the_days_of_a_large_registry(tmp_path: Path) -> None:
    records = [
        _record(f"s{i}", ("Yonas", f"Tesfay{i}"), 1990, date(1990, 1 + i % 12, 1 + i % 28))
        for i in range(400)
    ]
    connection = bounded_duckdb(str(tmp_path), records_table(records), "200MB", 1)

    def pairs(rule: str) -> int:
        found = connection.execute(
            "SELECT count(*) FROM itinera_records l JOIN itinera_records r"
            f" ON {rule} AND l.unique_id < r.unique_id"
        ).fetchone()
        return found[0] if found else 0

    try:
        every_day = pairs(same_day_rule(TRAINING_RECORDS))
        a_tenth = pairs(same_day_rule(10 * TRAINING_RECORDS))
    finally:
        connection.close()
    assert same_day_rule(TRAINING_RECORDS) == "l.birth_date = r.birth_date"
    per_day = Counter(r.birth_date for r in records).values()
    assert every_day == sum(n * (n - 1) // 2 for n in per_day)
    assert 0 < a_tenth < every_day / 4  # about a tenth of the days (84 distinct days here)
