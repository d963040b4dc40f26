"""Record linkage behind one small interface: records in, scored and explained pairs out.

:class:`SplinkLinkage` runs Splink 5 on DuckDB (one machine) or on Spark (the same model, for
registries beyond one machine; needs Java and ``pyspark``, the optional ``spark`` extra).
Records arrive decrypted in memory; each run works in a temporary directory created for the
run and removed after it (DuckDB's spill files, Spark's local and checkpoint directories), so
nothing identifying outlives the run. Term-frequency tables are computed inside the run and
never kept. DuckDB's memory and threads are bounded and predictions read in batches
(:mod:`itinera.engines.linkage_tables`). :class:`FakeLinkage` is the in-memory fake for unit tests.
"""

from __future__ import annotations

import hashlib
import logging
import math
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from itinera.domain.errors import ItineraError
from itinera.engines.linkage_model import PRIOR_VERSION, model_settings
from itinera.engines.linkage_records import LinkageRecord, keyed_record
from itinera.engines.linkage_tables import (
    DEFAULT_MEMORY_LIMIT,
    Explainer,
    bounded_duckdb,
    counted_sql,
    prediction_batches,
    records_table,
)

__all__ = [
    "FakeLinkage",
    "LinkageBackendError",
    "LinkageEngine",
    "LinkageRecord",
    "LinkageResult",
    "ScoredPair",
    "SplinkLinkage",
    "TrainedModel",
    "keyed_record",
    "same_day_rule",
]

log = logging.getLogger(__name__)

MIN_RECORDS_TO_TRAIN = 2000
"""Below this, EM has too little to learn from: the prior model is used as it is."""
U_SAMPLE_PAIRS = 1e7
"""Random pairs for u: a level with u near 1e-5 (same date of birth) needs millions."""
RARE_NAME_COUNT = 4
TRAINING_RECORDS = 100_000
"""Beyond this many records, EM's same-date block keeps a share of the dates, 1 in
``ceil(records / TRAINING_RECORDS)`` (decision 0038): it then sees about as many true matches as
on a registry of this size, and training does not grow with the square of the registry."""
COMPARISONS = (
    "given",
    "family",
    "other_names",
    "father",
    "mother",
    "birth",
    "sex",
    "nationality",
    "place",
    "seen",
)


class LinkageBackendError(ItineraError):
    """The linkage backend asked for cannot run here (e.g. Spark without pyspark or Java)."""

    code = "linkage_backend_unavailable"


@dataclass(frozen=True)
class ScoredPair:
    left: str
    right: str
    probability: float
    explanation: tuple[tuple[str, str, float], ...]  # (comparison, level, weight)


@dataclass(frozen=True)
class LinkageResult:
    pairs: list[ScoredPair]
    model_version: str
    parameters: dict[str, Any]  # m and u per level: no data, no names


@dataclass(frozen=True)
class TrainedModel:
    """A model trained by :meth:`SplinkLinkage.train_model`: m and u per level and the prior,
    with the fingerprint of the records it learnt from, never the records, names or term
    frequencies (those are counted anew in every run). Runs on either backend."""

    version: str
    fingerprint: str
    parameters: dict[str, Any]


class LinkageEngine(Protocol):
    def link(self, records: Sequence[LinkageRecord], threshold: float) -> LinkageResult: ...


def _prior_probability(count: int) -> float:
    """About one true match per record among all pairs, bounded away from 0 and 1."""
    pairs = max(count * (count - 1) / 2, 1)
    return min(max(count / pairs, 1e-6), 0.5)


def _fingerprint(records: Sequence[LinkageRecord]) -> str:
    digest = hashlib.sha256()
    for unique_id in sorted(r.unique_id for r in records):
        digest.update(unique_id.encode() + b"\n")
    return digest.hexdigest()[:16]


class SplinkLinkage:
    """Splink 5, the model in :mod:`itinera.engines.linkage_model`, on DuckDB (one machine) or
    Spark (``backend="spark"``; ``spark_master`` names a cluster, default ``local[1]``).
    ``memory_limit`` and ``threads`` bound DuckDB (``threads=None``: one per core)."""

    def __init__(
        self,
        *,
        train: bool | None = None,
        seed: int = 42,
        backend: str = "duckdb",
        spark_master: str = "local[1]",
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        threads: int | None = None,
        model: TrainedModel | None = None,
    ) -> None:
        if backend not in ("duckdb", "spark"):
            raise ValueError(f"unknown linkage backend {backend!r}")
        self.train = train
        self.seed = seed
        self.backend = backend
        self.spark_master = spark_master
        self.memory_limit = memory_limit
        self.threads = threads
        self.model = model

    def train_model(self, records: Sequence[LinkageRecord]) -> TrainedModel:
        """The model trained on ``records`` (u by random sampling, m by EM), to score later
        runs without training again. Raises ``ValueError`` when EM drives an m to zero."""
        with tempfile.TemporaryDirectory(prefix="itinera-linkage-") as spill:
            opened = self._open_duckdb if self.backend == "duckdb" else self._open_spark
            table, _, close = opened(spill, records)
            try:
                settings = model_settings(self.backend, _prior_probability(len(records)))
                model = self.estimate(table, settings, len(records))
            finally:
                close()
        fingerprint = _fingerprint(records)
        return TrainedModel(f"em-{fingerprint}", fingerprint, _parameters_only(model))

    def link(self, records: Sequence[LinkageRecord], threshold: float) -> LinkageResult:
        if len(records) < 2:
            return LinkageResult([], PRIOR_VERSION, {})
        from splink import Linker

        train = len(records) >= MIN_RECORDS_TO_TRAIN if self.train is None else self.train
        with tempfile.TemporaryDirectory(prefix="itinera-linkage-") as spill:
            opened = self._open_duckdb if self.backend == "duckdb" else self._open_spark
            table, batches, close = opened(spill, records)
            try:
                settings = model_settings(
                    self.backend, _prior_probability(len(records)), term_frequencies=train
                )
                model, version = settings, PRIOR_VERSION
                if self.model is not None:  # trained before: no training in this run
                    model = _with_parameters(
                        model_settings(self.backend, 0.5), self.model.parameters
                    )
                    version = self.model.version
                elif train:
                    try:
                        model = self.estimate(table, settings, len(records))
                        version = f"em-{_fingerprint(records)}"
                    except ValueError:  # EM drove some m to 0: the prior model scores
                        log.warning("EM did not converge; the prior model is used")
                linker = Linker(table, model, log_level=logging.WARNING)
                predictions = linker.inference.predict(threshold_match_probability=threshold)
                parameters = linker.misc.save_model_to_json()
                explainer = Explainer(parameters, COMPARISONS)
                pairs = [_pair(row, explainer) for batch in batches(predictions) for row in batch]
            finally:
                close()
        return LinkageResult(pairs, version, _parameters_only(parameters))

    def _open_duckdb(self, spill: str, records: Sequence[LinkageRecord]) -> _Opened:
        """An in-memory DuckDB, bounded, that spills into the run's own directory."""
        from splink import DuckDBAPI

        connection = bounded_duckdb(spill, records_table(records), self.memory_limit, self.threads)

        def batches(predictions: Any) -> Iterator[list[dict[str, Any]]]:
            return prediction_batches(connection, predictions.physical_name, COMPARISONS)

        return DuckDBAPI(connection).register("itinera_records"), batches, connection.close

    def _open_spark(self, spill: str, records: Sequence[LinkageRecord]) -> _Opened:
        try:
            from pyspark.sql import SparkSession
            from pyspark.sql import types as T
            from splink.backends.spark import SparkAPI, similarity_jar_location
        except ImportError:
            raise LinkageBackendError(
                "the Spark backend needs pyspark (and Java)",
                hint="install pyspark, or use --backend duckdb",
            ) from None

        spark = (
            SparkSession.builder.master(self.spark_master)
            .appName("itinera-tracing")
            .config("spark.jars", similarity_jar_location())
            .config("spark.local.dir", spill)
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        spark.sparkContext.setCheckpointDir(f"{spill}/checkpoints")
        rows = _counted_rows(records)
        frame = spark.createDataFrame(rows.to_pylist(), _spark_schema(rows.schema, T))
        del rows
        table = SparkAPI(spark_session=spark, break_lineage_method="persist").register(frame)
        return table, lambda predictions: iter([predictions.as_record_list()]), spark.stop

    def estimate(self, table: Any, settings: dict[str, Any], count: int) -> dict[str, Any]:
        """The model trained on ``table`` (``count`` records): u from random pairs, m by EM.
        Raises ``ValueError`` when EM drives an m to zero."""
        from splink import Linker

        trainer = Linker(table, settings, log_level=logging.WARNING)
        trainer.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=self.seed)
        # the names learn on pairs born the same day (on a large registry, a share of the
        # days); birth, sex and nationality on pairs sharing a rare canonical name (common
        # names would drown the matches)
        for rule in (
            same_day_rule(count),
            "l.given_key = r.given_key AND l.family_key = r.family_key"
            f" AND l.name_count <= {RARE_NAME_COUNT}",
        ):
            trainer.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_u_probabilities=True
            )
        model: dict[str, Any] = trainer.misc.save_model_to_json()
        return model


def same_day_rule(count: int) -> str:
    """EM's blocking rule for pairs born the same day: on more than :data:`TRAINING_RECORDS`
    records, only 1 day in ``ceil(count / TRAINING_RECORDS)`` (by a hash of the date, in SQL
    DuckDB and Spark both read), so that its pairs grow with the registry, not its square."""
    share = math.ceil(count / TRAINING_RECORDS)
    same_day = "l.birth_date = r.birth_date"
    return same_day + (f" AND hash(l.birth_date) % {share} = 0" if share > 1 else "")


_Opened = tuple[Any, Callable[[Any], Iterable[list[dict[str, Any]]]], Callable[[], None]]
"""Splink's input table, the reader of its predictions in batches, and how to close."""


def _counted_rows(records: Sequence[LinkageRecord]) -> Any:
    """The records with the columns :func:`counted_sql` computes, as an Arrow table (for
    Spark, which reads rows)."""
    import duckdb

    with duckdb.connect(":memory:") as connection:
        connection.register("records_in", records_table(records))
        return connection.execute(counted_sql("records_in")).arrow()


def _spark_schema(schema: Any, types: Any) -> Any:
    """Spark's schema for an Arrow schema of text, integers, reals, flags and text lists."""
    import pyarrow as pa

    def spark_type(kind: Any) -> Any:
        if pa.types.is_list(kind):
            return types.ArrayType(spark_type(kind.value_type))
        if pa.types.is_integer(kind):
            return types.LongType()
        if pa.types.is_floating(kind):
            return types.DoubleType()
        if pa.types.is_boolean(kind):
            return types.BooleanType()
        return types.StringType()

    return types.StructType([types.StructField(f.name, spark_type(f.type)) for f in schema])


def _pair(row: dict[str, Any], explainer: Explainer) -> ScoredPair:
    return ScoredPair(
        str(row["unique_id_l"]),
        str(row["unique_id_r"]),
        float(row["match_probability"]),
        explainer.steps(row),
    )


def _parameters_only(model: dict[str, Any]) -> dict[str, Any]:
    """The model's parameters: labels, m and u per level, never records or TF tables."""
    return {
        "probability_two_random_records_match": model.get("probability_two_random_records_match"),
        "comparisons": [
            {
                "name": c["output_column_name"],
                "levels": [
                    {
                        "label": lv.get("label_for_charts"),
                        "m": lv.get("m_probability"),
                        "u": lv.get("u_probability"),
                    }
                    for lv in c["comparison_levels"]
                ],
            }
            for c in model["comparisons"]
        ],
    }


def _with_parameters(settings: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    """``settings`` (this backend's SQL) carrying a trained model's m, u and prior."""
    trained = {c["name"]: c["levels"] for c in parameters["comparisons"]}
    for comparison in settings["comparisons"]:
        levels = trained.get(comparison["output_column_name"], [])
        labels = [level.get("label_for_charts") for level in comparison["comparison_levels"]]
        if [level["label"] for level in levels] != labels:
            raise ValueError(
                f"the stored model's {comparison['output_column_name']!r} levels are not this"
                " engine's: train it again"
            )
        for level, learnt in zip(comparison["comparison_levels"], levels, strict=True):
            if not level.get("is_null_level"):
                level["m_probability"], level["u_probability"] = learnt["m"], learnt["u"]
    settings["probability_two_random_records_match"] = parameters[
        "probability_two_random_records_match"
    ]
    return settings


class FakeLinkage:
    """Pairs records whose canonical given and family keys are equal, probability 0.99."""

    def link(self, records: Sequence[LinkageRecord], threshold: float) -> LinkageResult:
        pairs: list[ScoredPair] = []
        for i, left in enumerate(records):
            for right in records[i + 1 :]:
                if (left.given_key, left.family_key) == (right.given_key, right.family_key):
                    pairs.append(ScoredPair(left.unique_id, right.unique_id, 0.99, ()))
        return LinkageResult([p for p in pairs if p.probability >= threshold], "fake", {})
