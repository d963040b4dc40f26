"""The cube's columns kept in memory answer exactly what SQL answered (issue 13, decision 0036):
on a random store, every series (total, each breakdown, top categories, one country) and every
mortality question, exact and suppressed, equals the answer of the SQL path kept as an oracle
(``sql_series.py``); and a new import is seen by the next question without a restart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import ANONYMOUS, SYSTEM
from itinera.services import movements
from itinera.services.analytics import arrays, cache
from itinera.services.analytics.series import route_mortality, route_series
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.analytics.tables import DIMENSIONS
from itinera.storage.database import Database
from itinera.storage.movements.bulk import bulk_insert
from itinera.storage.movements.movement_repository import MovementRepository

from . import sql_series

ROUTES = ("central-mediterranean", "western-mediterranean")
INDICATORS = ("arrivals", "dead_and_missing")
SOURCES = ("unhcr-med", "unhcr-med-origin", "iom-mmp", "frontex-ibc")
NATIONALITIES = ("ERI", "SDN", "SYR", "AFG", "MLI", "GIN")
COUNTRIES = ("ITA", "ESP", "MLT")
MONTHS = [f"{2020 + m // 12}-{m % 12 + 1:02d}-01" for m in range(30)]
DATA = Path(__file__).resolve().parents[2] / "data" / "movements"


def _batch(repository: MovementRepository, source: str, index: int) -> tuple[int, int]:
    source_id = repository.source_id(source, source)
    batch_id = repository.add_batch(
        source_id=source_id,
        reader="synthetic",
        dataset=f"random {index}",
        vintage=None,
        file_name=f"random-{index}.csv",
        file_sha256=f"{index:064d}",
        status="complete",
        rows_read=0,
        rows_rejected=0,
        observation_count=0,
        incident_count=0,
        derived_count=0,
        issues=[],
        unmapped_routes={},
        options={},
        actor="test",
        started_at=datetime.now(UTC),
    )
    return batch_id, source_id


def _random_store(db: Database, seed: int, rows: int = 1500) -> None:
    """Small counts (1–12: many cells under the threshold of 5), gaps, several sources and
    batches per source, every breakdown; some months absent from some sources."""
    rng = np.random.default_rng(seed)
    with db.transaction() as session:
        repository = MovementRepository(session)
        batches = [_batch(repository, SOURCES[i % len(SOURCES)], i) for i in range(7)]
        found = []
        for _ in range(rows):
            batch_id, source_id = batches[rng.integers(len(batches))]
            indicator = str(rng.choice(INDICATORS))
            month = MONTHS[rng.integers(len(MONTHS))]
            kind = rng.integers(5)  # total, nationality, sex, age group, country
            nationality = str(rng.choice(NATIONALITIES)) if kind == 1 else None
            sex = str(rng.choice(["female", "male"])) if kind == 2 else None
            age = str(rng.choice(["0-17", "18+"])) if kind == 3 else None
            country = str(rng.choice(COUNTRIES)) if kind == 4 else None
            route = str(rng.choice(ROUTES))
            value = float(rng.integers(1, 13))
            found.append(
                (
                    *(batch_id, source_id, indicator, value, "persons", "month", month, month),
                    *(None, route, route, country, None, nationality, sex, age, None, None),
                    *(False, False, 0 if country else None, False, None, None),
                )
            )
        bulk_insert(session, found)


@pytest.fixture(scope="module")
def store(module_database_url: str) -> Iterator[Database]:
    db = Database(module_database_url)
    try:
        _random_store(db, seed=13)
        yield db
    finally:
        db.dispose()


MONTH_CODES = [m[:7] for m in MONTHS] + ["2019-06", "2023-01"]
QUESTIONS = st.fixed_dictionaries(
    {
        "route": st.sampled_from(ROUTES),
        "indicator": st.sampled_from(INDICATORS),
        "first": st.none() | st.sampled_from(MONTH_CODES),
        "last": st.none() | st.sampled_from(MONTH_CODES),
        "by": st.sampled_from([None, "nationality", "sex", "age_group", "country"]),
        "top": st.sampled_from([None, 1, 2, 4]),
        "country": st.sampled_from([None, "ITA", "esp", "FRA"]),
        "public": st.booleans(),
    }
)


def _same(ask: object, oracle: object) -> None:
    def run(function: object) -> object:
        try:
            return function()  # type: ignore[operator]
        except Exception as error:  # the same refusal, with the same message
            return (type(error), str(error))

    assert run(ask) == run(oracle)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=QUESTIONS)
def test_series_from_arrays_equal_the_sql_answers(store: Database, question: dict) -> None:
    q = question
    actor = ANONYMOUS if q["public"] else SYSTEM
    by, country = q["by"], None if q["by"] == "country" else q["country"]
    asked = (q["route"], q["indicator"], q["first"], q["last"], by, q["top"])
    _same(
        lambda: route_series(store, actor, *asked, country=country),
        lambda: sql_series.route_series(store, actor, *asked, country=country),
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=QUESTIONS)
def test_mortality_from_arrays_equals_the_sql_answer(store: Database, question: dict) -> None:
    q = question
    actor = ANONYMOUS if q["public"] else SYSTEM
    asked = (q["route"], q["first"], q["last"])
    _same(
        lambda: route_mortality(store, actor, *asked),
        lambda: sql_series.route_mortality(store, actor, *asked),
    )


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    from itinera.services.setup import initialise

    database = Database(database_url)
    try:
        initialise(Settings(database_url=database_url, environment="test"), database=database)
        yield database
    finally:
        database.dispose()


def test_a_new_import_is_seen_by_the_next_question_without_a_restart(
    db: Database, database_url: str
) -> None:
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="test")
    app = build_app(Settings(database_url=database_url, environment="test"), database=db)
    path = "/api/routes/central-mediterranean/series"
    params = {"indicator": "dead", "from": "2023-05", "to": "2023-07"}
    with TestClient(app) as client:
        before = client.get(path, params=params).json()
        token = cache.token(db)
        assert arrays.kept(db, token, False) is not None, "the columns were not kept"
        newer = DATA / "hxl-tag-row-first-newer-vintage.csv"
        movements.import_file(db, SYSTEM, "hxl", newer, source="test")
        after = client.get(path, params=params).json()
        now = cache.token(db)
        assert now != token and arrays.kept(db, now, False) is not None
    assert after != before
    exact = route_series(db, SYSTEM, "central-mediterranean", "dead", "2023-05", "2023-07")
    assert [p["value"] for p in exact["points"]] == [14.0, 5.0, 1.0]
    asked = ("central-mediterranean", "dead", "2023-05", "2023-07")
    assert after == sql_series.route_series(db, ANONYMOUS, *asked)


def test_a_serving_process_reads_every_block_again_after_a_change(db: Database) -> None:
    """``keep_warm`` (``itinera serve``): the first question after an import finds a new token,
    and every block at it is read in the background, not by the questions that follow."""
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="test")
    assert arrays.keep_warm(db) > 0
    before = cache.token(db)
    newer = DATA / "hxl-tag-row-first-newer-vintage.csv"
    movements.import_file(db, SYSTEM, "hxl", newer, source="test")
    held = arrays.snapshot(db)  # a question on totals: the breakdowns are not summed for it
    background = arrays.warming(db)
    assert held.token != before and background is not None
    background.join(timeout=120)
    assert not background.is_alive()
    with db.transaction() as session:
        asked = CubeRepository(session).block_keys()
    assert asked and arrays.kept(db, held.token, True) is held
    with arrays.memory_only():  # would raise NotInMemoryError on any read of the database
        for key in asked:
            held.block(*key)


def test_a_change_while_the_blocks_are_read_is_read_too(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The background read started by one import reads again when another import moved the
    token while it read (a second thread is not started while one runs)."""
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="test")
    arrays.keep_warm(db)
    real, changed = arrays.Snapshot.partial_months, []

    def then_import(self: arrays.Snapshot) -> set[str]:
        if not changed:  # the first background read's last step: another import lands
            changed.append(True)
            newer = DATA / "hxl-tag-row-first-newer-vintage.csv"
            movements.import_file(db, SYSTEM, "hxl", newer, source="test")
            arrays.snapshot(db)  # a question sees the newest token while the read runs
        return real(self)

    monkeypatch.setattr(arrays.Snapshot, "partial_months", then_import)
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-bom.csv", source="test")
    first = arrays.snapshot(db)
    background = arrays.warming(db)
    assert background is not None
    background.join(timeout=120)
    latest = arrays.kept(db, cache.token(db), True)
    assert changed and latest is not None and latest.token != first.token
    with db.transaction() as session:
        asked = CubeRepository(session).block_keys()
    with arrays.memory_only():
        for key in asked:
            latest.block(*key)


def test_a_store_not_kept_warm_reads_on_demand_after_a_change(db: Database) -> None:
    """Outside ``itinera serve`` (tests, the command line) no thread is started."""
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="test")
    first = arrays.snapshot(db)
    newer = DATA / "hxl-tag-row-first-newer-vintage.csv"
    movements.import_file(db, SYSTEM, "hxl", newer, source="test")
    assert arrays.snapshot(db).token != first.token
    assert arrays.warming(db) is None


LEAN_QUESTIONS = [
    "/api/routes/central-mediterranean/series?indicator=arrivals&from=2020-03&to=2021-02",
    "/api/routes/central-mediterranean/series?indicator=arrivals&by=nationality&top=2"
    "&from=2020-01&to=2020-12",
    "/api/routes/western-mediterranean/series?indicator=dead_and_missing&by=sex"
    "&from=2021-01&to=2022-06",
    "/api/routes/western-mediterranean/series?indicator=arrivals&country=ita"
    "&from=2020-06&to=2021-06",
    "/api/routes/central-mediterranean/mortality?from=2020-02&to=2021-11",
]


def test_the_lean_answer_is_the_declared_routes(store: Database) -> None:
    """A new public question answered before FastAPI (orjson, decision 0039) gives the same
    JSON value and the same headers as the declared API route (reached here by fixing the
    actor, which the lean path leaves to the route)."""
    from itinera.web.deps import current_actor

    app = build_app(Settings(database_url=store.url, environment="test"), database=store)
    with TestClient(app) as client:
        for path in LEAN_QUESTIONS:
            lean = client.get(path)
            app.dependency_overrides[current_actor] = lambda: ANONYMOUS
            try:
                declared = client.get(path)
            finally:
                app.dependency_overrides.pop(current_actor)
            assert lean.status_code == declared.status_code == 200, path
            assert lean.json() == declared.json(), path
            drop = {"content-length", "date"}
            assert {k: v for k, v in lean.headers.items() if k not in drop} == {
                k: v for k, v in declared.headers.items() if k not in drop
            }, path
            assert lean.json()["points"], path  # a window with figures, not an empty answer


def test_a_warmed_snapshot_answers_every_block_from_memory(db: Database) -> None:
    """What ``itinera serve`` reads before its first request: every (indicator, route) of the
    cube in every breakdown, so that no new question waits for a read."""
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="test")
    blocks = arrays.warm(db)
    held = arrays.kept(db, cache.token(db), True)
    assert held is not None and blocks > 0
    with db.transaction() as session:
        pairs = CubeRepository(session).indicators()
        asked = CubeRepository(session).block_keys()
    assert blocks == len(asked) == len(pairs) * len(DIMENSIONS)
    routes = {r for _, r in pairs}
    with arrays.memory_only():  # would raise NotInMemoryError on any read of the database
        assert all(held.holds(r, [key for key in asked if key[1] == r]) for r in routes)
        for key in asked:
            held.block(*key)


def test_threads_asking_for_one_block_read_it_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="test")
    held = arrays.snapshot(db, breakdowns=True)
    reads: list[tuple[str, str, str]] = []
    real = CubeRepository.block
    gate = threading.Barrier(4)

    def counted(self: CubeRepository, *key: str) -> object:
        reads.append(key)
        return real(self, *key)

    def ask() -> object:
        gate.wait()
        return held.block("dead", "central-mediterranean", "nationality")

    monkeypatch.setattr(CubeRepository, "block", counted)
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _: ask(), range(4)))
    assert reads == [("dead", "central-mediterranean", "nationality")]
    assert all(block is found[0] for block in found)
