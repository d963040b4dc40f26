"""Record linkage behind one small interface: records in, scored and explained pairs out.

:class:`SplinkLinkage` runs Splink 5 on DuckDB (one machine) or on Spark (the same model, for
registries beyond one machine; needs Java and ``pyspark``, not among the dependencies yet).
Records arrive decrypted in memory; each run works in a temporary directory created for the
run and removed after it (DuckDB's spill files, Spark's local and checkpoint directories), so
nothing identifying outlives the run. Term-frequency tables are computed inside the run and
never kept. DuckDB's memory and threads are bounded and predictions read in batches
(:mod:`itinera.engines.linkage_tables`). :class:`FakeLinkage` is the in-memory fake for unit tests.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from itinera.domain.errors import ItineraError
from itinera.domain.tracing_places import PlacePoint
from itinera.engines.linkage_model import PRIOR_VERSION, model_settings
from itinera.engines.linkage_tables import (
    DEFAULT_MEMORY_LIMIT,
    Explainer,
    bounded_duckdb,
    counted_sql,
    prediction_batches,
    records_table,
    training_sample,
)
from itinera.engines.names import VariantDictionary, all_keys, name_keys

__all__ = [
    "FakeLinkage",
    "LinkageBackendError",
    "LinkageEngine",
    "LinkageRecord",
    "LinkageResult",
    "ScoredPair",
    "SplinkLinkage",
    "keyed_record",
]

log = logging.getLogger(__name__)

MIN_RECORDS_TO_TRAIN = 2000
"""Below this, EM has too little to learn from: the prior model is used as it is."""
U_SAMPLE_PAIRS = 1e7
"""Random pairs for u: a level with u near 1e-5 (same date of birth) needs millions."""
RARE_NAME_COUNT = 4
TRAINING_RECORDS = 100_000
"""EM and u run on a sample of at most this many records (decision 0038): training then costs
the same on any registry, and the prediction scores every record with the trained model."""
COMPARISONS = ("given", "family", "birth", "sex", "nationality", "place")


class LinkageBackendError(ItineraError):
    """The linkage backend asked for cannot run here (e.g. Spark without pyspark or Java)."""

    code = "linkage_backend_unavailable"


@dataclass(frozen=True)
class LinkageRecord:
    """One record as the engine sees it: keys from :mod:`itinera.engines.names`."""

    unique_id: str
    given_key: str | None
    family_key: str | None
    given_latin: str | None
    family_latin: str | None
    name_keys: tuple[str, ...]
    skeletons: tuple[str, ...]
    birth_year: int | None
    birth_date: str | None  # ISO date
    sex: str | None
    nationality: str | None
    given_skeletons: tuple[str, ...] = ()  # per field, so that a given name's consonants
    family_skeletons: tuple[str, ...] = ()  # are not credited against the family name
    given_known: bool = False  # canonical key from the variant dictionary (else a skeleton,
    family_known: bool = False  # which unrelated names may share)
    place_id: str | None = None  # last seen (or arrival) place, through the route catalogue
    place_country: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None


def keyed_record(
    unique_id: str,
    names: tuple[str | None, str | None],
    others: Sequence[str | None],
    birth: tuple[int | None, str | None],
    sex: str | None,
    nationality: str | None,
    dictionary: VariantDictionary,
    place: PlacePoint | None = None,
) -> LinkageRecord:
    """The record of a person from given and family names (any script), other names (chain
    parts, other spellings), year and ISO date of birth, and the catalogue place where the
    person was last seen; keys from :mod:`engines.names`."""
    given, family = (name_keys(n, dictionary) for n in names)
    every = all_keys([*names, *others], dictionary)
    return LinkageRecord(
        unique_id=unique_id,
        given_key=given.canonical,
        family_key=family.canonical,
        given_latin=given.latin or None,
        family_latin=family.latin or None,
        name_keys=tuple(sorted(every.variants)),
        skeletons=tuple(sorted(every.skeletons)),
        birth_year=birth[0],
        birth_date=birth[1],
        sex=sex,
        nationality=nationality or None,
        given_skeletons=tuple(sorted(given.skeletons)),
        family_skeletons=tuple(sorted(family.skeletons)),
        given_known=given.known,
        family_known=family.known,
        place_id=place.place_id if place else None,
        place_country=place.country if place else None,
        place_lat=place.lat if place else None,
        place_lon=place.lon if place else None,
    )


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
    ) -> None:
        if backend not in ("duckdb", "spark"):
            raise ValueError(f"unknown linkage backend {backend!r}")
        self.train = train
        self.seed = seed
        self.backend = backend
        self.spark_master = spark_master
        self.memory_limit = memory_limit
        self.threads = threads

    def link(self, records: Sequence[LinkageRecord], threshold: float) -> LinkageResult:
        if len(records) < 2:
            return LinkageResult([], PRIOR_VERSION, {})
        from splink import Linker

        train = len(records) >= MIN_RECORDS_TO_TRAIN if self.train is None else self.train
        with tempfile.TemporaryDirectory(prefix="itinera-linkage-") as spill:
            opened = self._open_duckdb if self.backend == "duckdb" else self._open_spark
            table, training, batches, close = opened(spill, records)
            try:
                settings = model_settings(
                    self.backend, _prior_probability(len(records)), term_frequencies=train
                )
                model, version = settings, PRIOR_VERSION
                if train:
                    try:
                        model = self.estimate(training(self.seed), settings, len(records))
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
        api = DuckDBAPI(connection)

        def training(seed: int) -> Any:
            return api.register(training_sample(connection, TRAINING_RECORDS, seed))

        def batches(predictions: Any) -> Iterator[list[dict[str, Any]]]:
            return prediction_batches(connection, predictions.physical_name, COMPARISONS)

        return api.register("itinera_records"), training, batches, connection.close

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
        text, number = T.StringType(), T.IntegerType()
        schema = T.StructType(
            [T.StructField(name, text) for name in _TEXT_COLUMNS[:5]]
            + [T.StructField(n, T.ArrayType(text)) for n in _ARRAY_COLUMNS]
            + [T.StructField("birth_year", number)]
            + [T.StructField(name, text) for name in _TEXT_COLUMNS[5:]]
            + [T.StructField(n, number) for n in ("year_band", "name_count", "family_count")]
            + [T.StructField(n, T.ArrayType(text)) for n in ("birth_keys", "year_keys")]
            + [T.StructField(name, T.BooleanType()) for name in ("given_known", "family_known")]
            + [T.StructField(name, text) for name in ("place_id", "place_country")]
            + [T.StructField(name, T.DoubleType()) for name in ("place_lat", "place_lon")]
        )
        rows = _counted_rows(records)
        frame = spark.createDataFrame(
            [[row[f.name] for f in schema.fields] for row in rows], schema
        )
        del rows
        api = SparkAPI(spark_session=spark, break_lineage_method="persist")
        share = min(1.0, TRAINING_RECORDS / len(records))

        def training(seed: int) -> Any:
            return api.register(frame if share == 1.0 else frame.sample(fraction=share, seed=seed))

        batches = lambda predictions: iter([predictions.as_record_list()])  # noqa: E731
        return api.register(frame), training, batches, spark.stop

    def estimate(self, training: Any, settings: dict[str, Any], count: int) -> dict[str, Any]:
        """The model trained on ``training`` (the records, or a sample of at most
        :data:`TRAINING_RECORDS`), its prior set for ``count`` records: u from random pairs,
        m by EM. Raises ``ValueError`` when EM drives an m to zero."""
        from splink import Linker, block_on

        trainer = Linker(training, settings, log_level=logging.WARNING)
        trainer.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=self.seed)
        # the names learn on pairs born the same day; birth, sex and nationality on pairs
        # sharing a rare canonical name (common names would drown the matches)
        for rule in (
            block_on("birth_date"),
            "l.given_key = r.given_key AND l.family_key = r.family_key"
            f" AND l.name_count <= {RARE_NAME_COUNT}",
        ):
            trainer.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_u_probabilities=True
            )
        model: dict[str, Any] = trainer.misc.save_model_to_json()
        model["probability_two_random_records_match"] = _prior_probability(count)
        return model


_ARRAY_COLUMNS = ("name_keys", "skeletons", "given_skeletons", "family_skeletons")
_TEXT_COLUMNS = (
    "unique_id",
    "given_key",
    "family_key",
    "given_latin",
    "family_latin",
    "birth_date",
    "sex",
    "nationality",
)


_Opened = tuple[
    Any, Callable[[int], Any], Callable[[Any], Iterable[list[dict[str, Any]]]], Callable[[], None]
]
"""Splink's input table, its training table (given a seed), the reader of its predictions in
batches, and how to close."""


def _counted_rows(records: Sequence[LinkageRecord]) -> list[dict[str, Any]]:
    """Rows with the columns :func:`counted_sql` computes (for Spark, which reads rows)."""
    import duckdb

    with duckdb.connect(":memory:") as connection:
        connection.register("records_in", records_table(records))
        rows: list[dict[str, Any]] = (
            connection.execute(counted_sql("records_in")).arrow().to_pylist()
        )
    return rows


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


class FakeLinkage:
    """Pairs records whose canonical given and family keys are equal, probability 0.99."""

    def link(self, records: Sequence[LinkageRecord], threshold: float) -> LinkageResult:
        pairs: list[ScoredPair] = []
        for i, left in enumerate(records):
            for right in records[i + 1 :]:
                if (left.given_key, left.family_key) == (right.given_key, right.family_key):
                    pairs.append(ScoredPair(left.unique_id, right.unique_id, 0.99, ()))
        return LinkageResult([p for p in pairs if p.probability >= threshold], "fake", {})
