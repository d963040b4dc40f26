"""The linkage run's bounded DuckDB and its batched predictions: the limits are applied, the
computed columns are right, and reading predictions in small batches changes nothing."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from itinera.engines import linkage_tables
from itinera.engines.linkage import LinkageRecord, SplinkLinkage, keyed_record
from itinera.engines.linkage_records import collection_paused
from itinera.engines.linkage_tables import bounded_duckdb, records_table
from itinera.engines.names import VariantDictionary
from itinera.reference.name_variants import packaged_name_variants

DICTIONARY = VariantDictionary(packaged_name_variants())


def _record(uid: str, given: str, family: str, year: int | None) -> LinkageRecord:
    return keyed_record(uid, (given, family), [], (year, None), "male", "SDN", DICTIONARY)


RECORDS = [
    _record("a", "Mohamed", "Abderrahmane", 1994),
    _record("b", "Mhamed", "Abdulrahman", 1994),
    _record("c", "محمد", "عبد الرحمن", 1995),
    _record("d", "Muhammad", "Abd al-Rahman", None),
    _record("e", "Yonas", "Tesfay", 1990),
]


def test_duckdb_is_bounded_spills_into_the_run_directory_and_counts_name_pairs(
    tmp_path: Path,
) -> None:
    connection = bounded_duckdb(str(tmp_path), records_table(RECORDS), "300MB", 1)
    try:
        settings = connection.execute(
            "SELECT current_setting('memory_limit'), current_setting('threads'),"
            " current_setting('temp_directory')"
        ).fetchone()
        assert settings is not None
        limit, threads, spill = settings
        assert limit.replace(" ", "").upper().startswith(("286", "300")) and threads == 1
        assert spill == str(tmp_path)
        rows = connection.execute(
            "SELECT unique_id, year_band, name_count FROM itinera_records ORDER BY unique_id"
        ).fetchall()
    finally:
        connection.close()
    keys = {r.unique_id: (r.given_key, r.family_key) for r in RECORDS}
    expected = {uid: sum(k == keys[uid] for k in keys.values()) for uid in keys}
    assert [(uid, count) for uid, _, count in rows] == sorted(expected.items())
    assert expected["a"] >= 2 and expected["e"] == 1  # the variants share one canonical pair
    assert dict((uid, band) for uid, band, _ in rows) == {
        "a": 398,
        "b": 398,
        "c": 399,
        "d": None,
        "e": 398,
    }


def test_predictions_read_in_small_batches_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = SplinkLinkage().link(RECORDS, 0.01)
    monkeypatch.setattr(linkage_tables, "BATCH_ROWS", 1)
    batched = SplinkLinkage(memory_limit="200MB", threads=1).link(RECORDS, 0.01)
    assert len(whole.pairs) >= 3
    assert sorted(whole.pairs, key=lambda p: (p.left, p.right)) == sorted(
        batched.pairs, key=lambda p: (p.left, p.right)
    )
    # one explanation step object per distinct (comparison, weight), shared between pairs
    steps = [step for pair in batched.pairs for step in pair.explanation]
    assert len({id(step) for step in steps}) == len(set(steps))


def test_the_settings_bound_the_engine_and_refuse_a_limit_duckdb_cannot_read(
    tmp_path: Path,
) -> None:
    from pydantic import ValidationError

    from itinera.config import Settings
    from itinera.services.tracing.context import tracing_for
    from itinera.storage.database import Database

    key_file = tmp_path / "keys" / "field.key"
    settings = Settings(
        environment="test",
        key_file=key_file,
        tracing_linkage_memory_limit="2GB",
        tracing_linkage_threads=1,
    )
    engine = tracing_for(settings, Database(f"sqlite:///{tmp_path / 'x.db'}")).engine
    assert isinstance(engine, SplinkLinkage)
    assert (engine.memory_limit, engine.threads) == ("2GB", 1)
    with pytest.raises(ValidationError, match="tracing_linkage_memory_limit"):
        Settings(environment="test", key_file=key_file, tracing_linkage_memory_limit="lots")


def test_the_table_holds_each_record_in_its_columns() -> None:
    table = records_table(RECORDS)
    assert table.num_rows == len(RECORDS)
    rows = table.to_pylist()
    for record, row in zip(RECORDS, rows, strict=True):
        for name, value in record._asdict().items():
            assert row[name] == (list(value) if isinstance(value, tuple) else value), name
    assert records_table([]).num_rows == 0
    assert records_table([]).schema == table.schema


def test_keying_pauses_the_collector_and_resumes_it() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
