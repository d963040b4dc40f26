"""`itinera init` on SQLite and PostgreSQL: idempotent, and user edits survive reloads."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.route import Leg, Mode
from itinera.reference.catalogue import load_catalogue
from itinera.services.catalogue import routes as route_service
from itinera.services.catalogue.loading import load_reference
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.storage.schema import UNMANAGED_INDEXES, UNMANAGED_TABLE_PREFIXES, metadata


@pytest.fixture
def database(database_url: str) -> Database:
    db = Database(database_url)
    yield db
    db.dispose()


def test_init_creates_the_catalogue_and_a_second_run_changes_nothing(database: Database) -> None:
    settings = Settings(database_url=database.url, environment="test")
    first = initialise(settings, database=database)
    assert first.migrations
    assert first.reference.as_dict()["routes"] == {"added": 8}
    second = initialise(settings, database=database)
    assert second.migrations == []
    assert not second.changed
    assert second.reference.as_dict()["routes"] == {"unchanged": 8}
    assert len(route_service.list_routes(database)) == 8


def test_a_user_edit_survives_a_reload(database: Database) -> None:
    settings = Settings(database_url=database.url, environment="test")
    initialise(settings, database=database)
    route = route_service.get_route(database, "central-mediterranean").route
    edited = replace(route, legs=(*route.legs, Leg("ITA", "FRA", Mode.LAND)))
    route_service.update_route(database, SYSTEM, route.id, edited, route.version)

    report = initialise(settings, database=database)

    assert report.reference.as_dict()["routes"] == {"kept": 1, "unchanged": 7}
    stored = route_service.get_route(database, "central-mediterranean").route
    assert stored.legs[-1] == Leg("ITA", "FRA", Mode.LAND)
    assert stored.edited


def test_a_changed_catalogue_refreshes_unedited_routes_only(database: Database) -> None:
    settings = Settings(database_url=database.url, environment="test")
    initialise(settings, database=database)
    catalogue = load_catalogue()
    for route_id in ("gulf-of-aden", "east-africa"):
        route = catalogue.routes[route_id]
        catalogue.routes[route_id] = replace(route, sources=(*route.sources, "catalogue v2"))
    east = route_service.get_route(database, "east-africa").route
    route_service.update_route(
        database, SYSTEM, "east-africa", replace(east, aliases=()), east.version
    )

    with database.transaction() as session:
        report = load_reference(session, catalogue)

    assert report.as_dict()["routes"] == {"updated": 1, "kept": 1, "unchanged": 6}
    assert "catalogue v2" in route_service.get_route(database, "gulf-of-aden").route.sources
    assert "catalogue v2" not in route_service.get_route(database, "east-africa").route.sources


def test_a_failed_reload_leaves_the_store_as_it_was(database: Database) -> None:
    settings = Settings(database_url=database.url, environment="test")
    initialise(settings, database=database)
    catalogue = load_catalogue()
    broken = catalogue.routes["gulf-of-aden"]
    catalogue.routes["gulf-of-aden"] = replace(broken, legs=(Leg("YEM", "nowhere-land", Mode.SEA),))
    catalogue.routes["aaa-first"] = replace(broken, id="aaa-first", aliases=())

    with pytest.raises(Exception), database.transaction() as session:  # noqa: B017
        load_reference(session, catalogue)

    ids = [r.id for r in route_service.list_routes(database)]
    assert "aaa-first" not in ids and len(ids) == 8


def test_migrations_match_the_table_definitions(database: Database) -> None:
    initialise(Settings(database_url=database.url, environment="test"), database=database)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, kind, _: not (
                    (kind == "table" and str(name).startswith(UNMANAGED_TABLE_PREFIXES))
                    or (kind == "index" and name in UNMANAGED_INDEXES)
                )
            },
        )
        diff = compare_metadata(context, metadata)
    assert diff == []
