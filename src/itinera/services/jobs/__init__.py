"""Jobs (issue 10, item 7): long work run outside the request by workers, with progress,
cancellation and recovery after a crash (decision 0016)."""

from __future__ import annotations

from itinera.services.jobs.kinds import JobContext, JobKind, register_job_kind
from itinera.services.jobs.queue import (
    IDLE_EXIT_SECONDS,
    cancel_job,
    get_job,
    list_jobs,
    start_worker,
    stop_worker,
    submit_job,
    wait_for_job,
    wait_for_job_async,
)
from itinera.services.jobs.staging import discard_staged, stage_file, staged_path
from itinera.services.jobs.worker import Worker, sweep_stale

__all__ = [
    "IDLE_EXIT_SECONDS",
    "JobContext",
    "JobKind",
    "Worker",
    "cancel_job",
    "discard_staged",
    "get_job",
    "list_jobs",
    "register",
    "register_job_kind",
    "stage_file",
    "staged_path",
    "start_worker",
    "stop_worker",
    "submit_job",
    "sweep_stale",
    "wait_for_job",
    "wait_for_job_async",
]


def register() -> None:
    """Nothing to plug in: each capability registers its own job kinds."""
