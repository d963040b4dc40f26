"""The freshness token, breakdowns summed on first need, and cached API answers (both
databases): a cached answer never outlives the figures behind it and never crosses roles."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.integration.analytics.conftest import ANALYST
from tests.integration.analytics.test_freshness import CHANNEL, GOOD, NEWER

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.analytics import cache
from itinera.services.analytics import series as series_service
from itinera.services.analytics.figures import load_figures
from itinera.services.catalogue import routes as route_service
from itinera.services.setup import initialise
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.analytics.tables import analytics_breakdown_batches, analytics_cube
from itinera.storage.database import Database
from itinera.web.deps import current_actor

SERIES = "/api/routes/central-mediterranean/series"
PARAMS = {"indicator": "dead", "from": "2023-05", "to": "2023-07"}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    try:
        initialise(Settings(database_url=database_url, environment="test"), database=database)
        yield database
    finally:
        database.dispose()


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with TestClient(build_app(Settings(database_url=db.url, environment="test"), db)) as c:
        yield c


def test_the_token_moves_with_imports_reattribution_and_rebuild(db: Database) -> None:
    first = cache.ensure_current(db)
    assert cache.token(db) == first  # reading changes nothing
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    imported = cache.token(db)
    assert imported[:2] != first[:2] and imported[2] == first[2]
    route = route_service.get_route(db, "western-mediterranean").route
    route_service.update_route(db, SYSTEM, route.id, replace(route, aliases=(CHANNEL,)), None)
    moved = cache.token(db)
    assert moved[:2] == imported[:2] and moved[2] > imported[2]
    with db.transaction() as session:
        CubeRepository(session).rebuild()
    assert cache.token(db)[2] > moved[2]


def test_totals_first_breakdowns_on_the_first_read_that_needs_them(db: Database) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    cache.ensure_current(db)

    def state() -> tuple[set[str], int]:
        with db.transaction() as session:
            dimensions = set(session.scalars(select(analytics_cube.c.dimension).distinct()))
            detailed = len(session.scalars(select(analytics_breakdown_batches.c.batch_id)).all())
        return dimensions, detailed

    assert state() == ({"total"}, 0)
    load_figures(db, "dead", ["central-mediterranean"], "nationality")
    dimensions, detailed = state()
    assert detailed == 1 and dimensions > {"total"}


def test_a_batch_that_supersedes_nothing_leaves_older_sums_untouched(
    db: Database, tmp_path: Path
) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    cache.ensure_current(db)

    def older_rows() -> list[tuple[int, float]]:
        c = analytics_cube.c
        with db.transaction() as session:
            query = select(c.id, c.value).where(c.batch_id == 1).order_by(c.id)
            return [(int(i), float(v)) for i, v in session.execute(query)]

    before = older_rows()
    other = tmp_path / "malta.csv"  # same months and source, another country: no identity shared
    other.write_text(GOOD.read_text(encoding="utf-8").replace("ITA", "MLT").replace("LBY", "TUN"))
    movements.import_file(db, SYSTEM, "hxl", other, source="test")
    cache.ensure_current(db)
    assert older_rows() == before, "nothing superseded: the older batch was not summed again"
    series = series_service.route_series(
        db, SYSTEM, "central-mediterranean", "dead", "2023-05", "2023-07"
    )
    assert [p["value"] for p in series["points"]] == [24.0, None, 2.0]
    with db.transaction() as session:
        CubeRepository(session).rebuild()
    rebuilt = series_service.route_series(
        db, SYSTEM, "central-mediterranean", "dead", "2023-05", "2023-07"
    )
    assert rebuilt["points"] == series["points"]


def test_a_cached_answer_lasts_until_a_new_import(
    db: Database, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    calls: list[str] = []
    real = series_service.route_series

    def counted(*args: object, **kwargs: object) -> object:
        calls.append("called")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(series_service, "route_series", counted)
    first = client.get(SERIES, params=PARAMS)
    assert client.get(SERIES, params=PARAMS).content == first.content
    assert len(calls) == 1, "the second public answer came from the cache"
    client.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    exact = client.get(SERIES, params=PARAMS).json()
    assert client.get(SERIES, params=PARAMS).json() == exact and len(calls) == 2
    assert [p["value"] for p in exact["points"]] == [12.0, None, 1.0]
    movements.import_file(db, SYSTEM, "hxl", NEWER, source="test")
    exact = client.get(SERIES, params=PARAMS).json()
    assert [p["value"] for p in exact["points"]] == [14.0, 5.0, 1.0]
    client.app.dependency_overrides.pop(current_actor)  # type: ignore[attr-defined]
    assert client.get(SERIES, params=PARAMS).content != first.content
    assert len(calls) == 4


def test_cached_answers_never_cross_roles_or_skip_checks(db: Database, client: TestClient) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    public = client.get(SERIES, params=PARAMS).json()
    assert public["exact"] is False
    client.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
    try:
        assert client.get(SERIES, params=PARAMS).json()["exact"] is True
    finally:
        client.app.dependency_overrides.pop(current_actor)  # type: ignore[attr-defined]
    assert client.get(SERIES, params=PARAMS).json() == public
    bad_token = client.get(SERIES, params=PARAMS, headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401
    assert client.get(SERIES, params={**PARAMS, "from": "2023-13"}).status_code == 422
    assert client.get("/api/routes/nowhere/series", params=PARAMS).status_code == 404
    csv = client.get(SERIES, params=PARAMS, headers={"Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    overview = client.get("/api/analytics/overview")
    assert overview.status_code == 200 and client.get("/api/analytics/overview").json() == (
        overview.json()
    )


def test_health_answers_ok(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
