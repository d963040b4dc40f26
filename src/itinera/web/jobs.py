"""What every endpoint that queues a job answers (issue 10, item 7)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from itinera.domain.jobs import Job
from itinera.schemas.jobs import job_out

__all__ = ["accepted"]


def accepted(job: Job) -> JSONResponse:
    """202 with the job's shape and ``Location``, the URL to poll."""
    return JSONResponse(
        job_out(job).model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/api/jobs/{job.id}"},
    )
