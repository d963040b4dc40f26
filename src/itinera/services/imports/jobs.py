"""Imports as jobs: an upload is staged, a job of kind ``import.<kind>`` runs the kind's import
in a worker, and its result holds the import report (issues beyond 1,000 counted, not listed).

An import job is resumable: if its worker dies, its transaction rolled back and its staged
file is still there, so the job starts again from the file. The staged file is removed when
the job ends in any other way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ConflictError, ItineraError, ValidationError
from itinera.domain.jobs import Job, JobStatus
from itinera.services.imports.report import ImportReport
from itinera.services.jobs import (
    JobContext,
    JobKind,
    discard_staged,
    register_job_kind,
    stage_file,
    staged_path,
    submit_job,
)
from itinera.storage.database import Database

__all__ = [
    "MAX_REPORTED_ISSUES",
    "ImportRunner",
    "import_report",
    "register_import_job",
    "submit_import",
]

MAX_REPORTED_ISSUES = 1000

ImportRunner = Callable[[Database, Actor, Path, Mapping[str, Any], JobContext], ImportReport]
"""``run(db, actor, staged file, parameters, context)``: the kind's import service."""

_ACTIONS: dict[str, Action] = {}


def register_import_job(kind: str, action: Action, run: ImportRunner) -> None:
    """Let files of ``kind`` be imported by a job (called from the capability's register)."""
    _ACTIONS[kind] = action
    register_job_kind(JobKind(f"import.{kind}", partial(_run, run), resumable=True))


def submit_import(
    db: Database,
    actor: Actor,
    settings: Settings,
    kind: str,
    path: Path,
    parameters: Mapping[str, Any],
    *,
    start: bool = True,
) -> Job:
    """Check the permission, move the uploaded ``path`` to the jobs folder and queue its
    import. ``parameters``: the import's options (reader, source, flags, the file's name);
    ``start``: wake this process's worker (else another process runs it)."""
    require(actor, _ACTIONS[kind])
    staged = stage_file(settings, path)
    try:
        return submit_job(
            db, actor, f"import.{kind}", {**parameters, "file": staged}, settings, start=start
        )
    except BaseException:
        discard_staged(settings, staged)
        raise


def _run(run: ImportRunner, context: JobContext) -> dict[str, Any]:
    name = str(context.parameters.get("file", ""))
    path = staged_path(context.settings, name)
    if not path.is_file():
        raise ItineraError("The uploaded file is no longer on the server; upload it again.")
    context.progress(0, None, "reading")
    try:
        report = run(context.db, context.actor, path, context.parameters, context)
    finally:
        discard_staged(context.settings, name)
    answer = report.as_dict()
    answer["issues"] = answer["issues"][:MAX_REPORTED_ISSUES]
    return {"batch_id": report.batch_id, "report": answer}


def import_report(job: Job) -> dict[str, Any]:
    """The import report of a finished import job; a failed job raises its error (422 naming
    the file), a cancelled one a conflict."""
    if job.status is JobStatus.DONE and job.result is not None:
        return dict(job.result["report"])
    if job.status is JobStatus.CANCELLED:
        raise ConflictError("the import was cancelled; nothing was stored")
    raise ValidationError.single("file", job.error or "the import did not finish")
