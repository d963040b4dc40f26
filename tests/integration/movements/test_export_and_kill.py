"""HXL export re-imports to the same figures; a killed import leaves the store as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from itinera.domain.access import SYSTEM
from itinera.services import movements
from itinera.services.movements.export import export_observations
from itinera.storage.database import Database

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"
ALL = movements.ObservationFilter()


def figures(db: Database, source: str) -> list[tuple[object, ...]]:
    _, rows = movements.query_observations(
        db, SYSTEM, movements.ObservationFilter(source=source), limit=10000
    )
    keys = ("indicator", "value", "period", "route_id", "country", "nationality", "sex")
    return sorted(tuple(str(r[k]) for k in keys) for r in rows)


def test_hxl_export_reimports_to_the_same_figures(db: Database, tmp_path: Path) -> None:
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="first")
    exported = tmp_path / "export.csv"
    assert export_observations(db, SYSTEM, ALL, "hxl", exported) == 5
    report = movements.import_file(db, SYSTEM, "hxl", exported, source="again")
    assert report.rows_rejected == 0 and report.observations == 5
    assert figures(db, "again") == figures(db, "first")


def test_plain_csv_and_parquet_exports_have_the_promised_columns(
    db: Database, tmp_path: Path
) -> None:
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="first")
    plain = tmp_path / "plain.csv"
    export_observations(db, SYSTEM, ALL, "csv", plain)
    header, first = plain.read_text().splitlines()[:2]
    assert header.startswith(
        "indicator,value,unit,period,route_id,country,nationality,sex,age_group,source,vintage,"
        "batch_id"
    )
    assert first.startswith("dead,12,persons,2023-05,central-mediterranean,ITA,,,,first,,")
    parquet = tmp_path / "figures.parquet"
    export_observations(db, SYSTEM, ALL, "parquet", parquet)
    table = pq.read_table(parquet)
    assert table.num_rows == 5 and sum(table.column("value").to_pylist()) == 18


SCRIPT = """
import sys, time
from pathlib import Path
from itinera.bootstrap import register_capabilities
from itinera.domain.access import SYSTEM
from itinera.services.movements import import_file
from itinera.storage.database import Database
from itinera.storage.movements import movement_repository

original = movement_repository.MovementRepository.insert_observations
def slow(self, rows):
    original(self, rows)
    print("chunk", flush=True)
    time.sleep(30)
movement_repository.MovementRepository.insert_observations = slow
register_capabilities()
import_file(Database(sys.argv[1]), SYSTEM, "hxl", Path(sys.argv[2]), source="killed")
"""


def test_a_process_killed_mid_import_leaves_the_store_as_before(
    db: Database, tmp_path: Path
) -> None:
    movements.import_file(db, SYSTEM, "hxl", DATA / "hxl-tag-row-second.csv", source="first")
    before = figures(db, "first"), movements.list_sources(db, SYSTEM)
    big = tmp_path / "big.csv"
    lines = ["#date,#country+code,#affected+dead"] + [f"2020-01,ITA,{i}" for i in range(20000)]
    big.write_text("\n".join(lines))
    child = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, db.url, str(big)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "chunk"  # rows written, transaction open
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    time.sleep(0.2)
    assert (figures(db, "first"), movements.list_sources(db, SYSTEM)) == before
    assert figures(db, "killed") == []
