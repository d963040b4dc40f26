"""The jobs queue on SQLite and PostgreSQL: claim, progress, result, ownership, cancellation,
and the sweep of jobs whose worker stopped (issue 10, item 7)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.domain.errors import NotFoundError, PermissionDeniedError
from itinera.domain.jobs import JobStatus
from itinera.services import jobs
from itinera.storage.database import Database
from itinera.storage.jobs.job_repository import JobRepository
from itinera.storage.jobs.tables import jobs as jobs_table

ANALYST = Actor("queue-analyst", frozenset({Role.ANALYST}))
OTHER = Actor("queue-other", frozenset({Role.ANALYST}))
RELEASE = threading.Event()


def _count(context: jobs.JobContext) -> dict[str, Any]:
    total = int(context.parameters["to"])
    for done in range(1, total + 1):
        context.progress(done, total, "records_read")
    return {"counted": total}


def _blocked(context: jobs.JobContext) -> dict[str, Any]:
    """Reports progress until released (or cancelled)."""
    done = 0
    while not RELEASE.wait(0.02):
        done += 1
        context.progress(done, None, "records_read")
    return {"released": True}


def _broken(context: jobs.JobContext) -> dict[str, Any]:
    raise RuntimeError("secret value from a file")


@pytest.fixture(autouse=True)
def _kinds() -> None:
    jobs.register_job_kind(jobs.JobKind("test.count", _count))
    jobs.register_job_kind(jobs.JobKind("test.blocked", _blocked))
    jobs.register_job_kind(jobs.JobKind("test.broken", _broken))
    jobs.register_job_kind(jobs.JobKind("test.resumable", _count, resumable=True))


@pytest.fixture
def db(module_database_url: str) -> Iterator[Database]:
    database = Database(module_database_url)
    yield database
    jobs.stop_worker(database)
    database.dispose()


@pytest.fixture
def settings(module_database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=module_database_url,
        environment="test",
        jobs_dir=tmp_path / "jobs",
        jobs_heartbeat_seconds=0.05,
    )


def test_a_job_runs_with_progress_and_answers_its_result(db: Database, settings: Settings) -> None:
    job = jobs.submit_job(db, ANALYST, "test.count", {"to": 7}, settings, start=False)
    assert (job.status, job.owner.name) == (JobStatus.QUEUED, "queue-analyst")
    ran = jobs.Worker(db, settings).run_once()
    assert ran is not None and ran.id == job.id
    done = jobs.get_job(db, ANALYST, job.id)
    assert (done.status, done.result, done.done, done.total) == (
        JobStatus.DONE,
        {"counted": 7},
        7,
        7,
    )
    assert done.percent == 100 and done.attempts == 1 and done.finished_at is not None
    assert job.id in [j.id for j in jobs.list_jobs(db, ANALYST)]


def test_only_the_owner_sees_or_cancels_a_job(db: Database, settings: Settings) -> None:
    job = jobs.submit_job(db, ANALYST, "test.count", {"to": 1}, settings, start=False)
    with pytest.raises(NotFoundError):
        jobs.get_job(db, OTHER, job.id)
    with pytest.raises(NotFoundError):
        jobs.cancel_job(db, OTHER, job.id)
    assert job.id not in [j.id for j in jobs.list_jobs(db, OTHER)]
    with pytest.raises(PermissionDeniedError):
        jobs.submit_job(db, Actor("anonymous"), "test.count", {"to": 1}, settings)
    jobs.cancel_job(db, ANALYST, job.id)


def test_a_queued_job_is_cancelled_at_once_and_never_runs(db: Database, settings: Settings) -> None:
    job = jobs.submit_job(db, ANALYST, "test.count", {"to": 3}, settings, start=False)
    assert jobs.cancel_job(db, ANALYST, job.id).status is JobStatus.CANCELLED
    assert jobs.Worker(db, settings).run_once() is None
    assert jobs.get_job(db, ANALYST, job.id).result is None


def test_a_running_job_stops_at_its_next_progress_when_cancelled(
    db: Database, settings: Settings
) -> None:
    RELEASE.clear()
    job = jobs.submit_job(db, ANALYST, "test.blocked", {}, settings)  # the worker thread
    _until(lambda: jobs.get_job(db, ANALYST, job.id).status is JobStatus.RUNNING)
    _until(lambda: jobs.get_job(db, ANALYST, job.id).done > 2)  # progress while it runs
    jobs.cancel_job(db, ANALYST, job.id)
    final = jobs.wait_for_job(db, ANALYST, job.id, timeout=10)
    assert (final.status, final.result, final.error) == (JobStatus.CANCELLED, None, None)


def test_a_failing_job_keeps_a_sentence_without_the_data(db: Database, settings: Settings) -> None:
    job = jobs.submit_job(db, ANALYST, "test.broken", {}, settings, start=False)
    jobs.Worker(db, settings).run_once()
    failed = jobs.get_job(db, ANALYST, job.id)
    assert failed.status is JobStatus.FAILED
    assert failed.error is not None and "RuntimeError" in failed.error
    assert "secret" not in failed.error


def test_two_workers_never_claim_the_same_job(db: Database, settings: Settings) -> None:
    submitted = {
        jobs.submit_job(db, ANALYST, "test.count", {"to": 2}, settings, start=False).id
        for _ in range(12)
    }
    claimed: list[int] = []

    def work() -> None:
        worker = jobs.Worker(db, settings)
        while (job := worker.run_once()) is not None:
            claimed.append(job.id)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mine = [i for i in claimed if i in submitted]
    assert sorted(mine) == sorted(submitted) and len(set(mine)) == len(mine)


def test_a_silent_job_is_resumed_when_resumable_else_failed(
    db: Database, settings: Settings
) -> None:
    resumable = jobs.submit_job(db, ANALYST, "test.resumable", {"to": 2}, settings, start=False)
    other = jobs.submit_job(db, ANALYST, "test.count", {"to": 2}, settings, start=False)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    with db.transaction(write=True) as session:  # as if a worker on another machine died
        for job in (resumable, other):
            assert JobRepository(session).claim("elsewhere:1:1", [job.kind], long_ago)
        session.execute(
            update(jobs_table)
            .where(jobs_table.c.id.in_([resumable.id, other.id]))
            .values(heartbeat_at=long_ago)
        )
    swept = jobs.sweep_stale(db, settings.jobs_stale_seconds)
    assert {resumable.id, other.id} <= set(swept)
    assert jobs.get_job(db, ANALYST, resumable.id).status is JobStatus.QUEUED
    failed = jobs.get_job(db, ANALYST, other.id)
    assert failed.status is JobStatus.FAILED and "stopped before it finished" in str(failed.error)
    worker = jobs.Worker(db, settings)
    while worker.run_once() is not None:
        pass
    resumed = jobs.get_job(db, ANALYST, resumable.id)
    assert (resumed.status, resumed.attempts, resumed.result) == (
        JobStatus.DONE,
        2,
        {"counted": 2},
    )


def _until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
