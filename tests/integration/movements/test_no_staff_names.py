"""Staff usernames stay out of public answers (issue 10, item 13): who imported a batch is
shown to those who import, not in the anonymous ``/api/sources`` and ``/api/imports/{id}``."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.services import movements
from itinera.storage.database import Database

DATA = Path(__file__).parents[2] / "data" / "movements" / "hxl-tag-row-second.csv"
IMPORTER = Actor("amal.data-unit", frozenset({Role.ANALYST}), 1, 1)


def test_anonymous_answers_name_no_importer(db: Database) -> None:
    report = movements.import_file(db, IMPORTER, "hxl", DATA, source="test")
    settings = Settings(database_url=db.url, environment="test")
    with TestClient(build_app(settings, database=db)) as client:
        sources = client.get("/api/sources")
        batch = client.get(f"/api/imports/{report.batch_id}")
    assert sources.status_code == batch.status_code == 200
    for answer in (sources, batch):
        assert IMPORTER.username not in answer.text
    assert batch.json()["id"] == report.batch_id and "actor" not in batch.json()
    exact = movements.get_batch(db, IMPORTER, report.batch_id or 0)
    assert exact["actor"] == IMPORTER.username
