"""Workers: claim queued jobs, run them with a heartbeat, finish them; sweep dead workers' jobs.

A worker is a thread: in the web process (started at start-up and on each submission, leaving
when the queue has been empty for a while) or in ``itinera jobs work`` (never leaving). On
PostgreSQL several processes run workers side by side (claims skip locked rows); on SQLite the
server is one process (decision 0016).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

from itinera.config import Settings
from itinera.domain.access import Actor
from itinera.domain.errors import ItineraError
from itinera.domain.jobs import Job, JobCancelledError, JobOwner, JobStatus
from itinera.services.jobs.kinds import JobContext, job_kind, known_kinds
from itinera.storage.accounts.account_repository import AccountRepository
from itinera.storage.database import Database
from itinera.storage.jobs.job_repository import JobRepository

__all__ = ["Worker", "live_context", "sweep_stale", "worker_alive"]

log = logging.getLogger(__name__)
_RUNNING: dict[int, JobContext] = {}  # jobs running in this process, by id
_RUNNING_LOCK = threading.Lock()


def live_context(job_id: int) -> JobContext | None:
    """The context of a job running in this process (its freshest progress, its cancel flag)."""
    with _RUNNING_LOCK:
        return _RUNNING.get(job_id)


def _now() -> datetime:
    return datetime.now(UTC)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def worker_alive(worker: str | None) -> bool:
    """False only when the worker ran on this machine and its process is gone."""
    if not worker:
        return False
    host, _, rest = worker.partition(":")
    if host != socket.gethostname():
        return True  # another machine's worker: only its heartbeat tells
    pid = int(rest.split(":")[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(db: Database, stale_seconds: float) -> list[int]:
    """Resume (resumable kinds) or fail the running jobs whose worker is dead or silent."""
    now = _now()
    handled: list[int] = []
    with db.transaction(write=True) as session:
        repo = JobRepository(session)
        running = repo.stale(now + timedelta(seconds=1))
        for job in running:
            silent = job.heartbeat_at is None or job.heartbeat_at < now - timedelta(
                seconds=stale_seconds
            )
            if live_context(job.id) is not None or (not silent and worker_alive(job.worker)):
                continue  # running here (its heartbeat may wait on SQLite's write lock)
            kind = job_kind(job.kind) if job.kind in known_kinds() else None
            if kind is not None and kind.resumable and job.attempts < kind.max_attempts:
                repo.requeue(job.id)
                log.warning("job %s resumed after its worker stopped", job.id)
            else:
                repo.fail_stale(
                    job.id,
                    now,
                    "The worker running this job stopped before it finished; nothing of it "
                    "was kept. Start it again.",
                )
                log.warning("job %s failed: its worker stopped", job.id)
            handled.append(job.id)
    return handled


class Worker:
    """Runs queued jobs one at a time. ``idle_exit``: seconds without work before leaving."""

    def __init__(self, db: Database, settings: Settings, *, poll: float = 0.2) -> None:
        self.db, self.settings, self.poll = db, settings, poll
        self.name = _worker_name()
        self._last_sweep = 0.0

    def run_once(self) -> Job | None:
        """Sweep dead workers' jobs now and then, claim the oldest queued job and run it."""
        self.name = _worker_name()  # the thread running it
        if time.monotonic() - self._last_sweep > self.settings.jobs_stale_seconds / 4:
            self._last_sweep = time.monotonic()
            sweep_stale(self.db, self.settings.jobs_stale_seconds)
        if not self._any_queued():
            return None
        with self.db.transaction(write=True) as session:
            job = JobRepository(session).claim(self.name, known_kinds(), _now())
        if job is not None:
            self._run(job)
        return job

    def serve(self, stop: threading.Event, idle_exit: float | None = None) -> None:
        idle_since = time.monotonic()
        while not stop.is_set():
            try:
                job = self.run_once()
            except Exception as error:  # the store went away: keep the worker, try again
                log.error("jobs worker: %s", type(error).__name__)
                job = None
            if job is not None:
                idle_since = time.monotonic()
                continue
            if idle_exit is not None and time.monotonic() - idle_since > idle_exit:
                return
            stop.wait(self.poll)

    def _any_queued(self) -> bool:
        with self.db.transaction() as session:
            return JobRepository(session).has_queued(known_kinds())

    def _run(self, job: Job) -> None:
        try:
            actor = self._actor(job.owner)
        except ItineraError as error:
            self._finish(job.id, JobStatus.FAILED, error=error.message)
            return
        context = JobContext(self.db, job, actor, self.settings)
        with _RUNNING_LOCK:
            _RUNNING[job.id] = context
        beating = threading.Event()
        heart = threading.Thread(target=self._beat, args=(context, beating), daemon=True)
        heart.start()
        try:
            result = job_kind(job.kind).run(context)
        except JobCancelledError:
            self._finish(job.id, JobStatus.CANCELLED)
        except ItineraError as error:
            self._finish(job.id, JobStatus.FAILED, error=error.message)
        except Exception as error:
            # Only the type: a message may quote data from the file or the store.
            log.error("job %s (%s) failed: %s", job.id, job.kind, type(error).__name__)
            self._finish(
                job.id,
                JobStatus.FAILED,
                error=f"The job stopped on an unexpected error ({type(error).__name__}); "
                "nothing of it was kept.",
            )
        else:
            self._flush(context)
            self._finish(job.id, JobStatus.DONE, result=result)
        finally:
            beating.set()
            heart.join()
            with _RUNNING_LOCK:
                _RUNNING.pop(job.id, None)

    def _actor(self, owner: JobOwner) -> Actor:
        if owner.user_id is None:
            return owner.actor()
        with self.db.transaction() as session:
            user = AccountRepository(session).user(owner.user_id)
        if user is None or not user.active:
            raise ItineraError("The account that asked for this job is no longer active.")
        return user.actor()

    def _beat(self, context: JobContext, stop: threading.Event) -> None:
        while not stop.wait(self.settings.jobs_heartbeat_seconds):
            try:
                self._flush(context)
            except Exception as error:  # a busy store: the next beat tries again
                log.warning("job %s heartbeat: %s", context.job.id, type(error).__name__)

    def _flush(self, context: JobContext) -> None:
        progress = context.take_progress()
        with self.db.transaction(write=True) as session:
            cancel = JobRepository(session).beat(context.job.id, self.name, _now(), progress)
        if cancel or cancel is None:  # asked to cancel, or the job was taken from this worker
            context.cancelled.set()

    def _finish(self, job_id: int, status: JobStatus, **values: object) -> None:
        with self.db.transaction(write=True) as session:
            JobRepository(session).finish(job_id, self.name, status, _now(), **values)  # type: ignore[arg-type]
