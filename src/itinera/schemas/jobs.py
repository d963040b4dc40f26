"""Wire shape of a job (issue 10, item 7), shared by the API and ``itinera jobs --json``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from itinera.domain.jobs import Job

__all__ = ["JobOut", "job_out"]


class JobOut(BaseModel):
    id: int
    kind: str
    status: str = Field(description="queued, running, done, failed or cancelled")
    done: int = Field(description="units of work done (records read, steps)")
    total: int | None = Field(description="units of work in all, when known")
    percent: int | None
    message_key: str = Field(description="what the job is doing, as a key (reading, rendering…)")
    result: dict[str, Any] | None = Field(
        description="when done: a reference to what it made (batch id, report link) and, for "
        "imports, the import report"
    )
    error: str | None = Field(description="when failed: what went wrong, as a sentence")
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    links: dict[str, str]


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status.value,
        done=job.done,
        total=job.total,
        percent=job.percent,
        message_key=job.message_key,
        result=job.result,
        error=job.error,
        cancel_requested=job.cancel_requested,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        heartbeat_at=job.heartbeat_at,
        links={"self": f"/api/jobs/{job.id}", "page": f"/jobs/{job.id}"},
    )
