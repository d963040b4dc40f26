"""Every SQL statement of the jobs queue: submit, claim, progress, finish, cancel, sweep."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from itinera.domain.access import Role
from itinera.domain.jobs import Job, JobOwner, JobStatus
from itinera.storage.database import UnitOfWork
from itinera.storage.jobs.tables import jobs

__all__ = ["JobRepository"]

RUNNING = JobStatus.RUNNING.value


class JobRepository:
    def __init__(self, session: UnitOfWork) -> None:
        self.session = session

    def add(self, kind: str, parameters: dict[str, Any], owner: JobOwner) -> Job:
        row = self.session.execute(
            insert(jobs)
            .values(
                kind=kind,
                parameters=parameters,
                owner_id=owner.user_id,
                owner_name=owner.name,
                owner_roles=",".join(sorted(owner.roles)),
                organisation_id=owner.organisation_id,
                status=JobStatus.QUEUED.value,
            )
            .returning(*jobs.c)
        ).one()
        return _job(row)

    def get(self, job_id: int) -> Job | None:
        row = self.session.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return None if row is None else _job(row)

    def owned_by(self, owner: JobOwner, limit: int = 100) -> list[Job]:
        """The owner's jobs, newest first (a stored user by id, the local operator by name)."""
        if owner.user_id is not None:
            mine = jobs.c.owner_id == owner.user_id
        else:
            mine = (jobs.c.owner_id.is_(None)) & (jobs.c.owner_name == owner.name)
        query = select(jobs).where(mine).order_by(jobs.c.id.desc()).limit(limit)
        return [_job(row) for row in self.session.execute(query)]

    def has_queued(self, kinds: Collection[str]) -> bool:
        query = select(jobs.c.id).where(
            jobs.c.status == JobStatus.QUEUED.value, jobs.c.kind.in_(list(kinds))
        )
        return self.session.execute(query.limit(1)).first() is not None

    def claim(self, worker: str, kinds: Collection[str], now: datetime) -> Job | None:
        """Take the oldest queued job of ``kinds``. On PostgreSQL rows locked by another
        worker's claim are skipped, so several processes never take the same job."""
        oldest = (
            select(jobs.c.id)
            .where(jobs.c.status == JobStatus.QUEUED.value, jobs.c.kind.in_(list(kinds)))
            .order_by(jobs.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        row = self.session.execute(
            update(jobs)
            .where(jobs.c.id == oldest, jobs.c.status == JobStatus.QUEUED.value)
            .values(
                status=RUNNING,
                worker=worker,
                started_at=now,
                heartbeat_at=now,
                attempts=jobs.c.attempts + 1,
                message_key="started",
            )
            .returning(*jobs.c)
        ).first()
        return None if row is None else _job(row)

    def beat(
        self,
        job_id: int,
        worker: str,
        now: datetime,
        progress: tuple[int, int | None, str] | None = None,
    ) -> bool | None:
        """Record the heartbeat (and progress: done, total, message key) of a job this worker
        runs. Answers whether its cancellation was asked, None if the job is no longer this
        worker's (swept as stale)."""
        values: dict[str, Any] = {"heartbeat_at": now}
        if progress is not None:
            values.update(done=progress[0], total=progress[1], message_key=progress[2])
        row = self.session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.worker == worker, jobs.c.status == RUNNING)
            .values(**values)
            .returning(jobs.c.cancel_requested)
        ).first()
        return None if row is None else bool(row.cancel_requested)

    def finish(
        self,
        job_id: int,
        worker: str,
        status: JobStatus,
        now: datetime,
        *,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> bool:
        """End a job this worker runs; False if it was taken from it in the meantime."""
        values: dict[str, Any] = {
            "status": status.value,
            "finished_at": now,
            "heartbeat_at": now,
            "message_key": status.value,
            "result": result,
            "error": error,
        }
        if status is JobStatus.DONE:
            values["done"] = func.coalesce(jobs.c.total, jobs.c.done)
        changed = self.session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.worker == worker, jobs.c.status == RUNNING)
            .values(**values)
        ).rowcount
        return bool(changed)

    def request_cancel(self, job_id: int, now: datetime) -> None:
        """A queued job is cancelled at once; a running one when its worker next reports."""
        self.session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == JobStatus.QUEUED.value)
            .values(
                status=JobStatus.CANCELLED.value,
                cancel_requested=True,
                finished_at=now,
                message_key=JobStatus.CANCELLED.value,
            )
        )
        self.session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == RUNNING)
            .values(cancel_requested=True)
        )

    def stale(self, before: datetime) -> list[Job]:
        """Running jobs whose worker has not reported since ``before`` (it died or hung)."""
        query = (
            select(jobs)
            .where(
                jobs.c.status == RUNNING,
                or_(jobs.c.heartbeat_at.is_(None), jobs.c.heartbeat_at < before),
            )
            .with_for_update(skip_locked=True)
        )
        return [_job(row) for row in self.session.execute(query)]

    def requeue(self, job_id: int) -> None:
        self.session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == RUNNING)
            .values(status=JobStatus.QUEUED.value, worker=None, message_key="resumed")
        )

    def fail_stale(self, job_id: int, now: datetime, error: str) -> None:
        self.session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == RUNNING)
            .values(
                status=JobStatus.FAILED.value,
                finished_at=now,
                message_key=JobStatus.FAILED.value,
                error=error,
            )
        )


def _job(row: Any) -> Job:
    owner = JobOwner(
        row.owner_name,
        frozenset(Role(r) for r in row.owner_roles.split(",") if r),
        row.owner_id,
        row.organisation_id,
    )
    return Job(
        id=row.id,
        kind=row.kind,
        parameters=dict(row.parameters or {}),
        owner=owner,
        status=JobStatus(row.status),
        created_at=row.created_at,
        done=row.done,
        total=row.total,
        message_key=row.message_key,
        result=None if row.result is None else dict(row.result),
        error=row.error,
        cancel_requested=bool(row.cancel_requested),
        attempts=row.attempts,
        worker=row.worker,
        started_at=row.started_at,
        finished_at=row.finished_at,
        heartbeat_at=row.heartbeat_at,
    )
