"""What every endpoint that queues a job answers (issue 10, item 7)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from itinera.domain.errors import ConflictError, ItineraError
from itinera.domain.jobs import Job, JobStatus
from itinera.schemas.jobs import job_out

__all__ = ["accepted", "finished_job"]


def accepted(job: Job) -> JSONResponse:
    """202 with the job's shape and ``Location``, the URL to poll."""
    return JSONResponse(
        job_out(job).model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/api/jobs/{job.id}"},
    )


def finished_job(job: Job) -> Job:
    """``job`` if it ended done; its error sentence (400) or a conflict (cancelled) else."""
    if job.status is JobStatus.CANCELLED:
        raise ConflictError(f"job {job.id} was cancelled")
    if job.status is not JobStatus.DONE:
        raise ItineraError(job.error or f"job {job.id} did not finish")
    return job
