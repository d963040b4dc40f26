"""One store per backend (SQLite, PostgreSQL) with the demo bundle loaded and field-monitoring
entries of every confidentiality on the Central Mediterranean in Q1 2024; clients for the public,
an analyst of one organisation, and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.postgres_database import throwaway_database

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.domain.monitoring import Confidentiality, FieldNote, RiskObservation
from itinera.services.monitoring import entries
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.web.deps import current_actor

ROUTE = "central-mediterranean"
ANALYST = Actor("report-analyst", frozenset({Role.ANALYST}))
PUBLIC_NOTE = "Smugglers ask higher prices for the crossing; departures shift east."
INTERNAL_NOTE = "Partner reports worsening conditions in a detention centre."
RESTRICTED_NOTE = "Restricted lead about a named facility."
# (type, perpetrator, lat, lon, leg, persons, confidentiality, source)
OBSERVATIONS = [
    ("death", "smugglers", 32.9, 12.1, 0, 12, Confidentiality.PUBLIC, "interview"),
    ("kidnapping", "criminal-groups", 31.2, 16.6, 0, 3, Confidentiality.PUBLIC, "partner-report"),
    ("detention", "security-forces", 32.8, 13.2, 0, 25, Confidentiality.PUBLIC, "partner-report"),
    ("abandonment-sea", "smugglers", 35.5, 12.6, 1, 40, Confidentiality.PUBLIC, "media"),
    ("sexual-violence", "smugglers", 27.0, 14.4, 0, 2, Confidentiality.INTERNAL, "interview"),
    ("extortion", "border-officials", 20.0, 12.0, 0, 7, Confidentiality.INTERNAL, "survey"),
    ("forced-labour", "criminal-groups", 18.1, 11.4, 0, 6, Confidentiality.RESTRICTED, "hotline"),
]


@contextmanager
def _database(backend: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'itinera.db'}"
        return
    server_url: str = request.getfixturevalue("postgres_url")
    with throwaway_database(server_url, "itinera_rp") as url:
        yield url


def seed_monitoring(db: Database, actor: Actor) -> None:
    for i, (kind, who, lat, lon, leg, n, level, source) in enumerate(OBSERVATIONS):
        day = dt.date(2024, 1 + i % 3, 5 + i)
        entries.create_observation(
            db,
            actor,
            RiskObservation(
                incident_type=kind,
                route_id=ROUTE,
                date_from=day,
                date_to=day,
                source_type=source,
                reliability="b",
                credibility="2",
                confidentiality=level,
                perpetrator=who,
                latitude=lat,
                longitude=lon,
                leg=leg,
                persons=n,
                description=f"entry {i} marked {level.value}",
            ),
        )
    for text, level, day in (
        (PUBLIC_NOTE, Confidentiality.PUBLIC, dt.date(2024, 2, 1)),
        (INTERNAL_NOTE, Confidentiality.INTERNAL, dt.date(2024, 3, 10)),
        (RESTRICTED_NOTE, Confidentiality.RESTRICTED, dt.date(2024, 3, 12)),
    ):
        entries.create_note(
            db,
            actor,
            FieldNote(ROUTE, day, day, text, level, tags=("route-change",), place="Zuwara"),
        )


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def report_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("reports")
    with _database(request.param, request, folder) as url:
        settings = Settings(database_url=url, environment="test")
        db = Database(url)
        initialise(settings, demo=True, database=db)
        seed_monitoring(db, ANALYST)
        yield db
        db.dispose()


def _client(db: Database) -> TestClient:
    return TestClient(build_app(Settings(database_url=db.url, environment="test"), database=db))


@pytest.fixture(scope="session")
def public(report_db: Database) -> Iterator[TestClient]:
    """A client nobody logged in to."""
    with _client(report_db) as client:
        yield client


@pytest.fixture(scope="session")
def analyst(report_db: Database) -> Iterator[TestClient]:
    """A client acting as an analyst (exact figures, internal entries)."""
    with _client(report_db) as client:
        client.app.dependency_overrides[current_actor] = lambda: ANALYST  # type: ignore[attr-defined]
        yield client
