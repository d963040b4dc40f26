"""The tracing linkage as a job (issue 10, item 7): ``POST /api/tracing/match`` queues it; the
worker scores every pair and stores the candidates. The result holds counts only: the
candidates themselves are read through the review, with its access rules."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.jobs import Job
from itinera.services.jobs import JobContext, JobKind, register_job_kind, submit_job
from itinera.services.tracing.context import tracing_for
from itinera.services.tracing.matching import DEFAULT_THRESHOLD, run_match
from itinera.storage.database import Database

__all__ = ["KIND", "register_match_job", "submit_match"]

KIND = "tracing.match"


def submit_match(
    db: Database, actor: Actor, settings: Settings, *, threshold: float = DEFAULT_THRESHOLD
) -> Job:
    require(actor, Action.RUN_TRACING_MATCH)
    if not 0 < threshold < 1:
        raise ValidationError.single("threshold", "a probability between 0 and 1")
    return submit_job(db, actor, KIND, {"threshold": threshold}, settings)


def _run(context: JobContext) -> dict[str, Any]:
    context.progress(0, 1, "matching")
    tracing = tracing_for(context.settings, context.db)
    report = run_match(tracing, context.actor, threshold=float(context.parameters["threshold"]))
    context.progress(1, 1, "matching")
    return {"match": asdict(report)}


def register_match_job() -> None:
    register_job_kind(JobKind(KIND, _run))
