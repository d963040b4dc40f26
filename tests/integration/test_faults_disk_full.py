"""Fault injection: the disk fills up during an import (SQLite, the embedded default).

The test cannot mount a small volume (no privilege to mount in CI containers), so the import
runs in a child process whose file size limit (``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored) lets
the database and its write-ahead log grow only a little: writes past it fail as on a full
disk. The import must end with one clear line and exit 1, leave the store exactly as before
(no batch, no figure, the file intact, the audit chain whole), and import once space is back.
PostgreSQL's own disk is the server's: its full-disk error reaches Itinera as the same
``OperationalError`` and the same transaction rollback.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from itinera.config import Settings
from itinera.services.accounts import audit
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.storage.movements.tables import import_batches, observations

ROWS = 20_000
COUNTRIES = ("ITA", "GRC", "ESP", "MLT", "LBY", "TUN", "MAR", "FRA")


def _big_hxl(path: Path) -> None:
    lines = [
        "Date,Route,Country,Dead,Missing",
        "#date,#region+route,#country+code,#affected+dead,#affected+missing",
    ]
    for i in range(ROWS):
        year, month = 1990 + i // 96 % 35, 1 + i % 12
        lines.append(
            f"{year}-{month:02d},Central Mediterranean Route,{COUNTRIES[i // 12 % 8]},{i % 50},1"
        )
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _counts(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        return (
            int(session.execute(select(func.count()).select_from(observations)).scalar_one()),
            int(session.execute(select(func.count()).select_from(import_batches)).scalar_one()),
        )


def _import(url: str, file: Path, limit: int | None) -> subprocess.CompletedProcess[str]:
    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = "from itinera.bootstrap import main; main()"
    return subprocess.run(
        [sys.executable, "-c", command, "import", "hxl", str(file), "--source", "big"],
        env={**os.environ, "ITINERA_DATABASE_URL": url, "ITINERA_ENVIRONMENT": "test"},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_disk,
        check=False,
    )


def test_a_full_disk_during_an_import_leaves_the_store_as_before(tmp_path: Path) -> None:
    path = tmp_path / "itinera.sqlite3"
    url = f"sqlite:///{path}"
    initialise(Settings(database_url=url, environment="test"))
    file = tmp_path / "big.csv"
    _big_hxl(file)
    db = Database(url)
    db.reclaim()  # the log folded into the database: the limit below is what the import may use
    before, chain = _counts(db), audit.verify(db)
    db.dispose()
    sizes = [p.stat().st_size for p in tmp_path.glob("itinera.sqlite3*")]

    full = _import(url, file, limit=max(sizes) + 256 * 1024)

    assert full.returncode == 1, full.stderr
    assert "StoreUnavailable" in full.stderr and "nothing of this command was stored" in full.stderr
    assert "Traceback" not in full.stderr
    db = Database(url)
    try:
        assert _counts(db) == before
        after = audit.verify(db)
        assert after.ok and after.head_id == chain.head_id
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        db.dispose()

    again = _import(url, file, limit=None)  # space is back
    assert again.returncode == 0, again.stderr
    db = Database(url)
    try:
        observed, batches = _counts(db)
        assert batches == before[1] + 1 and observed >= before[0] + ROWS
        assert audit.verify(db).ok
    finally:
        db.dispose()
