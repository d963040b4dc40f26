"""Submit, follow, cancel and wait for jobs; the in-process worker of each store.

Whoever submits a job owns it: only the owner sees it and may cancel it (a job is the owner's
request, as private as the request itself). Submissions and cancellations are audited.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Actor, Role
from itinera.domain.errors import NotFoundError, PermissionDeniedError
from itinera.domain.jobs import Job, JobOwner
from itinera.services.accounts.audit import record
from itinera.services.jobs.kinds import job_kind
from itinera.services.jobs.worker import Worker, live_context
from itinera.storage.database import Database
from itinera.storage.jobs.job_repository import JobRepository

__all__ = [
    "cancel_job",
    "get_job",
    "list_jobs",
    "start_worker",
    "stop_worker",
    "submit_job",
    "wait_for_job",
    "wait_for_job_async",
]

IDLE_EXIT_SECONDS = 5.0
_WORKERS: weakref.WeakKeyDictionary[Database, tuple[threading.Thread, threading.Event]] = (
    weakref.WeakKeyDictionary()
)
_WORKERS_LOCK = threading.Lock()


def submit_job(
    db: Database,
    actor: Actor,
    kind: str,
    parameters: dict[str, Any],
    settings: Settings,
    *,
    start: bool = True,
) -> Job:
    """Queue a job of a registered ``kind`` (parameters: ids and codes, no personal data) and
    wake this process's worker unless ``start`` is False (the caller runs it itself)."""
    job_kind(kind)  # a kind nobody can run is refused now, not left queued forever
    if actor.roles <= {Role.PUBLIC}:
        raise PermissionDeniedError("log in to start a job", hint="log in first")
    with db.transaction(write=True) as session:
        job = JobRepository(session).add(kind, parameters, JobOwner.of(actor))
        record(
            session,
            actor,
            action="job.submit",
            entity="job",
            entity_id=str(job.id),
            detail={"kind": kind},
        )
    if start:
        start_worker(db, settings, idle_exit=IDLE_EXIT_SECONDS)
    return job


def get_job(db: Database, actor: Actor, job_id: int) -> Job:
    """One of the actor's jobs, with the freshest progress when it runs in this process.
    Another person's job answers 'not found': its existence is not theirs to know."""
    with db.transaction() as session:
        job = JobRepository(session).get(job_id)
    if job is None or not job.owner.is_(actor):
        raise NotFoundError(f"no job {job_id}")
    context = live_context(job_id)
    if context is not None and not job.finished:
        done, total, key = context.current
        job = replace(job, done=done, total=total, message_key=key)
    return job


def list_jobs(db: Database, actor: Actor, limit: int = 100) -> list[Job]:
    """The actor's own jobs, newest first."""
    with db.transaction() as session:
        return JobRepository(session).owned_by(JobOwner.of(actor), limit)


def cancel_job(db: Database, actor: Actor, job_id: int) -> Job:
    """Ask to cancel: a queued job ends at once, a running one at its next progress report
    (its transaction rolls back, nothing of it stays). A finished job is left as it is."""
    job = get_job(db, actor, job_id)
    if job.finished:
        return job
    context = live_context(job_id)
    if context is not None:
        context.cancelled.set()  # before writing: on SQLite the job may hold the write lock
    with db.transaction(write=True) as session:
        JobRepository(session).request_cancel(job_id, datetime.now(UTC))
        record(session, actor, action="job.cancel", entity="job", entity_id=str(job_id))
    return get_job(db, actor, job_id)


def wait_for_job(
    db: Database,
    actor: Actor,
    job_id: int,
    *,
    timeout: float | None = None,
    on_progress: Callable[[Job], None] | None = None,
    poll: float = 0.1,
) -> Job:
    """Block until the job finishes (or ``timeout`` seconds pass), calling ``on_progress``."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        job = get_job(db, actor, job_id)
        if on_progress is not None:
            on_progress(job)
        if job.finished or (deadline is not None and time.monotonic() > deadline):
            return job
        time.sleep(poll)


async def wait_for_job_async(db: Database, actor: Actor, job_id: int, *, poll: float = 0.1) -> Job:
    """Wait without holding the event loop: other requests are answered meanwhile."""
    while True:
        job = await asyncio.to_thread(get_job, db, actor, job_id)
        if job.finished:
            return job
        await asyncio.sleep(poll)


def start_worker(db: Database, settings: Settings, *, idle_exit: float | None = None) -> None:
    """Start this process's worker thread for ``db`` unless it runs. At start-up it also
    resumes or fails the jobs a previous process left running."""
    with _WORKERS_LOCK:
        running = _WORKERS.get(db)
        if running is not None and running[0].is_alive():
            return
        stop = threading.Event()
        worker = Worker(db, settings)
        thread = threading.Thread(
            target=worker.serve, args=(stop, idle_exit), name="itinera-jobs", daemon=True
        )
        _WORKERS[db] = (thread, stop)
        thread.start()


def stop_worker(db: Database, timeout: float = 10.0) -> None:
    """Stop this process's worker for ``db`` after the job it runs (shutdown)."""
    with _WORKERS_LOCK:
        running = _WORKERS.pop(db, None)
    if running is not None:
        running[1].set()
        running[0].join(timeout)
