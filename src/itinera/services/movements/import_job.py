"""Movement imports as jobs (issue 10, item 7): the API and the upload page queue them, a
worker runs ``import_file`` with the records read as progress."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Action, Actor
from itinera.domain.jobs import Job
from itinera.services.analytics.cache import sum_imported
from itinera.services.imports import ImportStatus, reader_for
from itinera.services.imports.jobs import register_import_job, submit_import
from itinera.services.jobs import JobContext
from itinera.services.movements.importing import ImportReport, import_file
from itinera.storage.database import Database

__all__ = ["register_movement_import_job", "submit_movement_import"]

KIND = "movements"


def submit_movement_import(
    db: Database,
    actor: Actor,
    settings: Settings,
    reader: str,
    path: Path,
    *,
    source: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    file_name: str | None = None,
    start: bool = True,
) -> Job:
    """Queue the import of the uploaded ``path``; the job's result holds the report. An
    unknown reader is refused now, naming the field, rather than by the job."""
    reader_for(KIND, reader)
    parameters = {
        "reader": reader,
        "source": source,
        "strict": strict,
        "dry_run": dry_run,
        "file_name": file_name or path.name,
    }
    return submit_import(db, actor, settings, KIND, path, parameters, start=start)


def _run(
    db: Database, actor: Actor, path: Path, parameters: Mapping[str, Any], context: JobContext
) -> ImportReport:
    report = _import(db, actor, path, parameters, context)
    if report.status is ImportStatus.IMPORTED:
        sum_imported(db)  # the analytics cube's totals and breakdowns, before the job ends
    return report


def _import(
    db: Database, actor: Actor, path: Path, parameters: Mapping[str, Any], context: JobContext
) -> ImportReport:
    return import_file(
        db,
        actor,
        str(parameters["reader"]),
        path,
        source=parameters.get("source"),
        strict=bool(parameters.get("strict")),
        dry_run=bool(parameters.get("dry_run")),
        file_name=parameters.get("file_name"),
        progress=lambda count: context.progress(count, None, "records_read"),
    )


def register_movement_import_job() -> None:
    register_import_job(KIND, Action.IMPORT_MOVEMENTS, _run)
