"""The linkage run's data as columns: records in, scored pairs out, memory bounded.

Records become one Arrow table built column by column (no dictionary per record); the birth-year
band and how many records share a canonical name pair are computed by DuckDB. DuckDB runs with a
memory limit and a thread count, spilling into the run's own temporary directory, so a national
registry does not take the machine's memory (a million records were killed at 17 GB without a
limit). Predictions are read back in record batches, only the columns the explanation needs,
and every explanation step is built once per distinct (comparison, weight), not once per pair.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from itinera.engines.linkage_records import LinkageRecord

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "Explainer",
    "bounded_duckdb",
    "counted_sql",
    "prediction_batches",
    "records_table",
]

DEFAULT_MEMORY_LIMIT = "4GB"
"""DuckDB's limit for one run; past it DuckDB spills into the run's temporary directory."""
BATCH_ROWS = 100_000

_TEXT = ("unique_id", "given_key", "family_key", "given_latin", "family_latin")
_ARRAYS = (
    "name_keys",
    "skeletons",
    "given_skeletons",
    "family_skeletons",
    "place_legs",
    "other_keys",
)
_OTHER_TEXT = (
    "birth_date",
    "sex",
    "nationality",
    "place_id",
    "place_country",
    "seen_date",
    "father_key",
    "father_latin",
    "mother_key",
    "mother_latin",
)
_FLAGS = ("given_known", "family_known", "father_known", "mother_known")
_REALS = ("place_lat", "place_lon")


def records_table(records: Sequence[Any]) -> pa.Table:
    """The records (:class:`~itinera.engines.linkage.LinkageRecord`, named tuples) as an Arrow
    table, without the computed columns of :func:`counted_sql`: one transposition, then one
    array per column."""
    import pyarrow as pa

    text, arrays = pa.string(), pa.list_(pa.string())
    kinds = {
        **dict.fromkeys((*_TEXT, *_OTHER_TEXT), text),
        **dict.fromkeys(_ARRAYS, arrays),
        "birth_year": pa.int64(),
        **dict.fromkeys(_FLAGS, pa.bool_()),
        **dict.fromkeys(_REALS, pa.float64()),
    }
    columns = zip(*records, strict=True) if records else ([] for _ in LinkageRecord._fields)
    arrays_of = dict(zip(LinkageRecord._fields, columns, strict=True))
    order = (*_TEXT, *_ARRAYS, "birth_year", *_OTHER_TEXT, *_FLAGS, *_REALS)
    return pa.table({name: pa.array(arrays_of[name], kinds[name]) for name in order})


def counted_sql(source: str) -> str:
    """The records of ``source`` with their birth-year band and how many records share their
    canonical name pair and their family key (EM learns birth, sex and nationality on pairs
    with a rare name; blocks of common names are split by the birth), and their keys tagged
    with the date and the year of birth (exploded by the blocking rules)."""
    return (
        f"SELECT *, birth_year // 5 AS year_band,"
        " count(*) OVER (PARTITION BY given_key, family_key) AS name_count,"
        " count(*) OVER (PARTITION BY family_key) AS family_count,"
        f" {_tagged('birth_date')} AS birth_keys, {_tagged('birth_year')} AS year_keys"
        f" FROM {source}"
    )


def _tagged(birth: str) -> str:
    """Every variant key and skeleton of a record tagged with its ``birth`` (null without it),
    so that one exploded join finds a shared name and birth at once."""
    return (
        "list_transform(list_distinct(list_concat(name_keys, skeletons)),"
        f" k -> k || '|' || CAST({birth} AS VARCHAR))"
    )


def bounded_duckdb(
    spill: str, records: pa.Table, memory_limit: str, threads: int | None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB limited to ``memory_limit`` and ``threads`` that spills into
    ``spill``, holding the records as table ``itinera_records``."""
    import duckdb

    config: dict[str, Any] = {
        "temp_directory": spill,
        "memory_limit": memory_limit,
        "preserve_insertion_order": False,  # lets large results stream and spill
    }
    if threads:
        config["threads"] = threads
    connection = duckdb.connect(":memory:", config=config)
    connection.execute("SET enable_progress_bar = false")  # nothing printed by a CLI run
    connection.register("itinera_records_in", records)
    connection.execute(f"CREATE TABLE itinera_records AS {counted_sql('itinera_records_in')}")
    connection.unregister("itinera_records_in")
    return connection


def prediction_batches(
    connection: duckdb.DuckDBPyConnection, table: str, comparisons: Sequence[str]
) -> Iterator[list[dict[str, Any]]]:
    """The predictions of ``table``, ``BATCH_ROWS`` at a time, as rows holding the pair, its
    probability and each comparison's weight and term-frequency adjustment (when present)."""
    present = {row[0] for row in connection.execute(f"DESCRIBE {table}").fetchall()}
    wanted = ["unique_id_l", "unique_id_r", "match_probability"] + [
        column
        for name in comparisons
        for column in (f"mw_{name}", f"mw_tf_adj_{name}")
        if column in present
    ]
    reader = connection.execute(f"SELECT {', '.join(wanted)} FROM {table}").fetch_record_batch(
        BATCH_ROWS
    )
    for batch in reader:
        yield batch.to_pylist()


class Explainer:
    """Each comparison's level, found by its weight (Splink 5 returns each comparison's weight,
    ``mw_<name>``, rather than its level), and the step a reviewer reads, built once."""

    def __init__(self, model: dict[str, Any], comparisons: Sequence[str]) -> None:
        self.comparisons = tuple(comparisons)
        self.levels: dict[str, list[tuple[float, str]]] = {}
        for comparison in model["comparisons"]:
            levels = [(0.0, "not given")]  # a field one record lacks weighs nothing
            for level in comparison["comparison_levels"]:
                m, u = level.get("m_probability"), level.get("u_probability")
                if level.get("is_null_level") or not m or not u:
                    continue
                levels.append((math.log2(m / u), str(level.get("label_for_charts", ""))))
            self.levels[comparison["output_column_name"]] = levels
        self._steps: dict[tuple[str, float, float], tuple[str, str, float]] = {}

    def steps(self, row: dict[str, Any]) -> tuple[tuple[str, str, float], ...]:
        return tuple(
            self._step(name, float(row.get(f"mw_{name}") or 0.0), row.get(f"mw_tf_adj_{name}"))
            for name in self.comparisons
        )

    def _step(self, name: str, weight: float, adjustment: Any) -> tuple[str, str, float]:
        tf = float(adjustment or 0.0)
        found = self._steps.get((name, weight, tf))
        if found is None:
            level = min(self.levels[name], key=lambda known: abs(known[0] - weight))[1]
            shown = name.replace("_", " ")  # the comparison as a reviewer reads it
            found = self._steps[name, weight, tf] = (shown, level, round(weight + tf, 3))
        return found
