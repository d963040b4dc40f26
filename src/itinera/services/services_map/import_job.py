"""Service-list imports as jobs (issue 10, item 7): the API and the upload page queue them; the
mapping travels as a name or as the parsed document, never as a path."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Action, Actor, require
from itinera.domain.jobs import Job
from itinera.services.imports import reader_for
from itinera.services.imports.jobs import register_import_job, submit_import
from itinera.services.jobs import JobContext
from itinera.services.services_map.imports import ImportReport, import_services
from itinera.services.services_map.mappings import load_mapping
from itinera.storage.database import Database

__all__ = ["register_services_import_job", "submit_services_import"]

KIND = "services"


def submit_services_import(
    db: Database,
    actor: Actor,
    settings: Settings,
    path: Path,
    *,
    format: str = "hxl",
    mapping: Mapping[str, Any] | str | None = None,
    source: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    start: bool = True,
) -> Job:
    """Queue the import of the uploaded service list. What the request names (the format, a
    mapping name) is checked now, so a wrong one is a 422 on its field, not a failed job."""
    require(actor, Action.IMPORT_SERVICES)
    reader_for(KIND, format, field="format")
    if format == "table":
        load_mapping(db, mapping)
    parameters = {
        "format": format,
        "mapping": dict(mapping) if isinstance(mapping, Mapping) else mapping,
        "source": source,
        "strict": strict,
        "dry_run": dry_run,
    }
    return submit_import(db, actor, settings, KIND, path, parameters, start=start)


def _run(
    db: Database, actor: Actor, path: Path, parameters: Mapping[str, Any], context: JobContext
) -> ImportReport:
    context.progress(0, None, "reading")
    return import_services(
        db,
        actor,
        path,
        format=str(parameters.get("format", "hxl")),
        mapping=parameters.get("mapping"),
        source=parameters.get("source"),
        strict=bool(parameters.get("strict")),
        dry_run=bool(parameters.get("dry_run")),
    )


def register_services_import_job() -> None:
    register_import_job(KIND, Action.IMPORT_SERVICES, _run)
