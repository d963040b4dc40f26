"""The synthetic movement store of the analytics and report benchmarks (C3, C4): observations
shaped like real ones (8 routes, 40 countries, 150 nationalities, sex and age group, 15 years of
months, 3 indicators, 4 sources, 12 batches), bulk-inserted through the movement import's bulk
path with indexes built once at the end. Never run in CI.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
from sqlalchemy.orm import Session

from itinera.storage.database import Database
from itinera.storage.movements import bulk as movement_bulk
from itinera.storage.movements.bulk import defer_indexes, restore_indexes
from itinera.storage.movements.movement_repository import MovementRepository

ROUTES = [
    "central-mediterranean",
    "east-africa",
    "eastern-mediterranean",
    "gulf-of-aden",
    "south-west-asia-europe",
    "southern-africa",
    "west-africa-atlantic",
    "western-mediterranean",
]
INDICATORS = ["arrivals", "irregular_crossings_detected", "dead_and_missing"]
UNITS = ["persons", "detections", "persons"]
SOURCES = ["unhcr", "frontex-ibc", "iom-mmp", "iom-dtm"]
COUNTRIES = [f"C{i:02d}" for i in range(40)]
NATIONALITIES = [f"N{i:02d}" if i < 100 else f"M{i - 100:02d}" for i in range(150)]
MONTHS = [f"{2010 + m // 12}-{m % 12 + 1:02d}-01" for m in range(180)]
CHUNK = 200_000


def add_batches(session: Session, label: str, count: int) -> list[tuple[int, int]]:
    out = []
    repo = MovementRepository(session)
    for i in range(count):
        source_id = repo.source_id(SOURCES[i % len(SOURCES)], "synthetic")
        batch_id = repo.add_batch(
            source_id=source_id,
            reader="synthetic",
            dataset=f"{label} {i}",
            vintage=None,
            file_name=f"{label}-{i}.csv",
            file_sha256=f"{label}{i:060d}"[-64:],
            status="complete",
            rows_read=0,
            rows_rejected=0,
            observation_count=0,
            incident_count=0,
            derived_count=0,
            issues=[],
            unmapped_routes={},
            options={},
            actor="benchmark",
            started_at=datetime.now(UTC),
        )
        out.append((batch_id, source_id))
    return out


def synthetic(rows: int, batches: list[tuple[int, int]], seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    b = rng.integers(0, len(batches), rows)
    ind = rng.integers(0, 3, rows)
    month = rng.integers(0, len(MONTHS), rows)
    kind = rng.integers(0, 4, rows)  # which breakdown the row carries: country/nat/sex/age
    cols = {
        "batch_id": np.array([x for x, _ in batches])[b],
        "source_id": np.array([s for _, s in batches])[b],
        "indicator": np.array(INDICATORS)[ind],
        "value": rng.integers(1, 400, rows).astype(float),
        "unit": np.array(UNITS)[ind],
        "period_start": np.array(MONTHS)[month],
        "route_id": np.array(ROUTES)[rng.integers(0, 8, rows)],
        "country": np.where(kind == 0, np.array(COUNTRIES)[rng.integers(0, 40, rows)], None),
        "nationality": np.where(
            kind == 1, np.array(NATIONALITIES)[rng.integers(0, 150, rows)], None
        ),
        "sex": np.where(kind == 2, np.array(["female", "male"])[rng.integers(0, 2, rows)], None),
        "age_group": np.where(kind == 3, np.array(["0-17", "18+"])[rng.integers(0, 2, rows)], None),
    }
    return pa.table(cols)


def import_synthetic(
    db: Database, label: str, batches: int, rows: int, seed: int, defer: bool
) -> tuple[pa.Table, float]:
    """New batches and their rows in one transaction, like an import, through the movement
    import's bulk path (``storage/movements/bulk.py``, raw executemany); with ``defer`` the
    indexes are dropped first and built once at the end. Returns the rows and the seconds."""
    started = time.perf_counter()
    with db.transaction() as session:
        table = synthetic(rows, add_batches(session, label, batches), seed)
        if defer:
            defer_indexes(session)
        for start in range(0, table.num_rows, CHUNK):
            part = table.slice(start, CHUNK).to_pydict()
            n = len(part["value"])
            blank = [None] * n
            movement_bulk.bulk_insert(
                session,
                list(
                    zip(
                        part["batch_id"],
                        part["source_id"],
                        part["indicator"],
                        part["value"],
                        part["unit"],
                        ["month"] * n,
                        part["period_start"],
                        part["period_start"],
                        blank,
                        part["route_id"],
                        part["route_id"],
                        part["country"],
                        blank,
                        part["nationality"],
                        part["sex"],
                        part["age_group"],
                        blank,
                        blank,
                        [False] * n,
                        [False] * n,
                        [0 if c is not None else None for c in part["country"]],  # admin_level
                        [False] * n,  # correction
                        blank,  # route_method
                        blank,  # route_distance_km
                        strict=True,
                    )
                ),
            )
        if defer:
            restore_indexes(session)
    return table, time.perf_counter() - started


# every request a question never asked before in this run: n = offset + counter * threads + id
# enumerates kind (6) x route (8) [x indicator (3)] x window (30 lengths x 150 first months):
# every few requests ask every kind, and every round asks windows of 1 to 30 months alike
