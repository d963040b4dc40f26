"""What the movement queries answer, on both databases: the API's keys in their order (pinned,
so that moving the statements into storage changed no contract) and the repository's records."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from itinera.domain.access import SYSTEM
from itinera.domain.movement_records import ObservationCriteria, ObservationRecord
from itinera.services import movements
from itinera.storage.database import Database
from itinera.storage.movements.query_repository import MovementQueryRepository

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"
GOOD = DATA / "hxl-tag-row-second.csv"
NEWER = DATA / "hxl-tag-row-first-newer-vintage.csv"

Batches = tuple[int, int]
OBSERVATION_KEYS = [
    "id",
    "batch_id",
    "indicator",
    "value",
    "unit",
    "period_kind",
    "period_start",
    "period_end",
    "route_name",
    "route_id",
    "country",
    "place",
    "nationality",
    "sex",
    "age_group",
    "border_type",
    "source_row",
    "derived",
    "superseded",
    "admin_level",
    "correction",
    "route_method",  # issue 11: how the figure got its route, and the distance (coordinates)
    "route_distance_km",
    "source",
    "vintage",
    "dataset",
    "period",
    "suppressed",  # issue 10, item 6: true where the public sees no value
]
BATCH_KEYS = [
    "id",
    "source_id",
    "reader",
    "dataset",
    "vintage",
    "file_name",
    "file_sha256",
    "status",
    "rows_read",
    "rows_rejected",
    "observation_count",
    "incident_count",
    "derived_count",
    "issues",
    "unmapped_routes",
    "options",
    "actor",
    "started_at",
    "finished_at",
    "coverage_end",
    "attribution",  # issue 11: figures and persons by means of route attribution
]


@pytest.fixture
def two_vintages(db: Database) -> Batches:
    first = movements.import_file(db, SYSTEM, "hxl", GOOD, source="test")
    second = movements.import_file(db, SYSTEM, "hxl", NEWER, source="test")
    return first.batch_id or 0, second.batch_id or 0


def test_observations_keep_their_keys_and_order(db: Database, two_vintages: Batches) -> None:
    total, page = movements.query_observations(db, SYSTEM, movements.ObservationFilter())
    assert total == len(page) > 0
    assert all(list(item) == OBSERVATION_KEYS for item in page)
    assert {item["source"] for item in page} == {"test"}
    assert all(item["period"] == item["period_start"].strftime("%Y-%m") for item in page)
    ordered = [(o["indicator"], o["period_start"]) for o in page]  # NULL routes: per database
    assert ordered == sorted(ordered)


def test_batches_and_sources_keep_their_keys(db: Database, two_vintages: Batches) -> None:
    first, second = two_vintages
    batch = movements.get_batch(db, SYSTEM, first)
    assert list(batch) == [*BATCH_KEYS, "source"]
    assert batch["source"] == "test" and isinstance(batch["issues"], list)
    [source] = movements.list_sources(db, SYSTEM)
    assert list(source) == ["key", "publisher", "current_observations", "batches"]
    assert [b["id"] for b in source["batches"]] == [second, first]  # newest first
    summary_keys = [k for k in BATCH_KEYS if k != "issues"] + ["issue_count"]
    assert all(list(b) == summary_keys for b in source["batches"])
    _, current = movements.query_observations(db, SYSTEM, movements.ObservationFilter())
    assert source["current_observations"] == len(current)


def test_the_repository_answers_frozen_records(db: Database, two_vintages: Batches) -> None:
    everything = ObservationCriteria(include_superseded=True)
    with db.transaction() as session:
        repository = MovementQueryRepository(session)
        streamed = list(repository.iter_observations(everything))
        current = list(repository.iter_observations(ObservationCriteria()))
        count = repository.count_observations(everything)
        page = repository.observation_page(everything, limit=2, offset=1)
    assert all(isinstance(record, ObservationRecord) for record in streamed)
    assert count == len(streamed) > len(current)  # the newer vintage superseded some
    assert [r.id for r in streamed] == sorted(r.id for r in streamed)
    assert len(page) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        streamed[0].value = 0.0  # type: ignore[misc]


def test_criteria_select_as_the_filter_says(db: Database, two_vintages: Batches) -> None:
    first, _ = two_vintages
    criteria = movements.ObservationFilter(
        indicator="dead", batch_id=first, period_from="2023-06", include_superseded=True
    ).criteria()
    with db.transaction() as session:
        found = list(MovementQueryRepository(session).iter_observations(criteria))
    assert found and all(r.indicator == "dead" and r.batch_id == first for r in found)
    assert all(r.period_start.isoformat() >= "2023-06-01" for r in found)
