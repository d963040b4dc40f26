"""The analytics cube follows the store without ``itinera analytics refresh``: new vintages
supersede older figures, and alias edits move figures between routes (both databases)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.route import Route
from itinera.services import movements
from itinera.services.analytics.cache import ensure_current
from itinera.services.analytics.series import route_series
from itinera.services.catalogue import routes as route_service
from itinera.services.setup import initialise
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.analytics.tables import analytics_cube
from itinera.storage.database import Database

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"
GOOD = DATA / "hxl-tag-row-second.csv"  # dead: 2023-05 12 (central), 06 2 (Channel), 07 1
NEWER = DATA / "hxl-tag-row-first-newer-vintage.csv"  # dead: 2023-05 14, 2023-06 5 (central)
CHANNEL = "English Channel to the UK"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    try:
        initialise(Settings(database_url=database_url, environment="test"), database=database)
        yield database
    finally:
        database.dispose()


def dead(db: Database, route_id: str) -> dict[str, float | None]:
    series = route_series(db, SYSTEM, route_id, "dead", "2023-05", "2023-07")
    return {p["month"]: p["value"] for p in series["points"] if p["value"] is not None}


def cube_rows(db: Database) -> list[tuple[Any, ...]]:
    """The whole cube, breakdowns included (summed now if no read needed them yet)."""
    ensure_current(db, breakdowns=True)
    c = analytics_cube.c
    columns = [c.batch_id, c.indicator, c.route_id, c.month, c.dimension, c.category, c.value]
    with db.transaction() as session:
        return sorted(tuple(r) for r in session.execute(select(*columns)))


def rebuilt(db: Database) -> list[tuple[Any, ...]]:
    with db.transaction() as session:
        CubeRepository(session).rebuild()
    return cube_rows(db)


def with_alias(route: Route, alias: str) -> Route:
    return replace(route, aliases=(*route.aliases, alias))


def test_a_newer_vintage_replaces_the_figures_it_covers(db: Database) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    assert dead(db, "central-mediterranean") == {"2023-05": 12.0, "2023-07": 1.0}
    movements.import_file(db, SYSTEM, "hxl", NEWER, source="test")
    assert dead(db, "central-mediterranean") == {
        "2023-05": 14.0,  # superseded 12
        "2023-06": 5.0,
        "2023-07": 1.0,  # not covered by the new vintage: kept
    }
    before = cube_rows(db)
    assert before == rebuilt(db)


def test_an_alias_edit_moves_figures_already_in_the_cube(db: Database) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    assert dead(db, "western-mediterranean") == {}  # the cube is built now
    route = route_service.get_route(db, "western-mediterranean").route
    route_service.update_route(db, SYSTEM, route.id, with_alias(route, CHANNEL), None)
    assert dead(db, "western-mediterranean") == {"2023-06": 2.0}
    assert cube_rows(db) == rebuilt(db)
    # moved on to another route: it leaves the first one and joins the second
    route = route_service.get_route(db, "western-mediterranean").route
    route_service.update_route(
        db, SYSTEM, route.id, replace(route, aliases=route.aliases[:-1]), None
    )
    central = route_service.get_route(db, "central-mediterranean").route
    route_service.update_route(db, SYSTEM, central.id, with_alias(central, CHANNEL), None)
    assert dead(db, "western-mediterranean") == {}
    assert dead(db, "central-mediterranean") == {"2023-05": 12.0, "2023-06": 2.0, "2023-07": 1.0}
    assert cube_rows(db) == rebuilt(db)


def test_a_new_route_takes_its_figures_and_leaves_with_them(db: Database) -> None:
    movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    central = route_service.get_route(db, "central-mediterranean").route
    dead(db, "central-mediterranean")  # builds the cube
    channel = replace(central, id="channel", aliases=(CHANNEL,), group=None)
    route_service.create_route(db, SYSTEM, channel)
    assert dead(db, "channel") == {"2023-06": 2.0}
    route_service.delete_route(db, SYSTEM, "channel")
    assert all(row[2] != "channel" for row in cube_rows(db))
    assert cube_rows(db) == rebuilt(db)
