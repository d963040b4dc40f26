"""``/api/jobs``: the caller's own jobs, one job's progress, cancellation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi import Path as PathParam

from itinera.schemas import MAX_DATABASE_INT
from itinera.schemas.jobs import JobOut, job_out
from itinera.services import jobs
from itinera.web.deps import ActorDep, DatabaseDep
from itinera.web.routers.movements.api import csrf_for_cookie_calls

__all__ = ["router"]

JobId = Annotated[int, PathParam(ge=1, le=MAX_DATABASE_INT)]

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("", response_model=list[JobOut])
def list_jobs(db: DatabaseDep, actor: ActorDep) -> list[JobOut]:
    """The caller's own jobs, newest first (at most 100)."""
    return [job_out(job) for job in jobs.list_jobs(db, actor)]


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: JobId, db: DatabaseDep, actor: ActorDep) -> JobOut:
    """One of the caller's jobs: status, progress, result reference or error."""
    return job_out(jobs.get_job(db, actor, job_id))


@router.post(
    "/{job_id}/cancel", response_model=JobOut, dependencies=[Depends(csrf_for_cookie_calls)]
)
def cancel_job(job_id: JobId, db: DatabaseDep, actor: ActorDep) -> JobOut:
    """Cancel one of the caller's jobs: a queued job at once, a running one at its next
    progress report (nothing of it is kept). A finished job is answered unchanged."""
    return job_out(jobs.cancel_job(db, actor, job_id))
