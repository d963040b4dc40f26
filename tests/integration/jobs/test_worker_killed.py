"""A worker process killed (SIGKILL) in the middle of an import job: nothing of the import is
stored, and the job is resumed from its staged file and ends with exactly one batch
(issue 10, item 7: jobs resume or fail cleanly after a restart)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from itinera.bootstrap import register_capabilities
from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.jobs import JobStatus
from itinera.services import jobs, movements
from itinera.storage.database import Database

WORKER = """
import sys, threading
from itinera.bootstrap import register_capabilities
from itinera.config import Settings
from itinera.services import jobs
from itinera.storage.database import Database
register_capabilities()
settings = Settings(database_url=sys.argv[1], environment="test", jobs_dir=sys.argv[2],
                    jobs_heartbeat_seconds=0.2)
jobs.Worker(Database(sys.argv[1]), settings).serve(threading.Event())
"""


def test_a_killed_worker_leaves_nothing_and_its_import_resumes(
    module_database_url: str, large_hxl: Path, tmp_path: Path
) -> None:
    register_capabilities()
    settings = Settings(
        database_url=module_database_url, environment="test", jobs_dir=tmp_path / "jobs"
    )
    db = Database(module_database_url)
    upload = shutil.copy(large_hxl, tmp_path / "killed.csv")
    job = movements.submit_movement_import(
        db, SYSTEM, settings, "hxl", Path(upload), source="killed-worker", start=False
    )
    [staged] = list((tmp_path / "jobs").glob("*/killed.csv"))
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, module_database_url, str(tmp_path / "jobs")],
        env=environment,
    )
    try:
        deadline = time.monotonic() + 60
        while jobs.get_job(db, SYSTEM, job.id).status is JobStatus.QUEUED:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        time.sleep(1.5)  # well inside the import (about ten seconds)
        assert jobs.get_job(db, SYSTEM, job.id).status is JobStatus.RUNNING
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    assert _batches(db) == []  # the import's transaction died with its worker
    assert staged.is_file()  # kept for the resumption
    assert job.id in jobs.sweep_stale(db, settings.jobs_stale_seconds)  # its process is gone
    assert jobs.get_job(db, SYSTEM, job.id).status is JobStatus.QUEUED
    worker = jobs.Worker(db, settings)
    while worker.run_once() is not None:
        pass
    done = jobs.get_job(db, SYSTEM, job.id)
    assert (done.status, done.attempts) == (JobStatus.DONE, 2), done.error
    assert done.result is not None and done.result["report"]["observations"] == 240_000
    [batch] = _batches(db)
    assert batch["id"] == done.result["batch_id"]
    assert not staged.exists()
    db.dispose()


def _batches(db: Database) -> list[dict[str, object]]:
    found = [s for s in movements.list_sources(db, SYSTEM) if s["key"] == "killed-worker"]
    return [b for s in found for b in s["batches"]]
