"""Risk observations from survey exports, through the one import pipeline (C11).

The reader (``importers/monitoring_table.py``) turns a CSV or XLSX file into observations plus
collected issues; the pipeline refuses, dry-runs and reports as for every other kind of file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from itinera.domain.access import Action, Actor
from itinera.domain.issues import Issue
from itinera.importers.monitoring_table import ObservationsRead, mapping_4mi, read_observations
from itinera.services.accounts import audit
from itinera.services.imports import ImportKind, ImportReport, ImportRequest, run_import
from itinera.services.imports.readers import FileReader
from itinera.services.monitoring.entries import vocabularies
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database
from itinera.storage.monitoring.monitoring_repository import MonitoringRepository

__all__ = ["FIELD_OBSERVATIONS", "READERS", "import_observations"]


def _read_4mi(path: Path, **options: Any) -> ObservationsRead:
    return read_observations(path, vocabularies(), mapping_4mi(), route_id=options.get("route_id"))


READERS = (
    FileReader(
        "field_observations",
        "4mi",
        _read_4mi,
        "a 4Mi-like survey export (CSV or XLSX), one row per reported incident",
    ),
)


def _store(
    session: Any, read: ObservationsRead, report: ImportReport, request: ImportRequest
) -> None:
    repository = MonitoringRepository(session)
    routes = set(RouteRepository(session).route_ids())
    problems = [
        Issue(
            report.file_name,
            "unknown route",
            row=row,
            column="route",
            value=o.route_id,
            suggestion="use a route id of the catalogue (itinera routes list)",
        )
        for row, o in read.records
        if o.route_id not in routes
    ]
    batch = repository.add_batch(
        report.file_sha256,
        request.reader,
        _route_option(request),
        report.file_name,
        request.actor.username[:64],
    )
    organisation = request.actor.organisation_id
    for _row, observation in read.records:
        if observation.route_id not in routes:
            continue
        entry = replace(observation, batch_id=batch, organisation_id=organisation)
        repository.add_observation(entry, request.actor.username[:64])
        report.counts["added"] += 1
    repository.count_batch(batch, report.counts["added"])
    report.batch_id, report.rows_read = batch, read.rows_read
    report.rows_rejected = read.rows_rejected + len(problems)
    report.issues = [*read.issues, *problems]
    audit.record(
        session,
        request.actor,
        action="import_risk_observations",
        entity="risk_observation_batch",
        entity_id=str(batch),
        detail={"added": report.counts["added"], "reader": request.reader},
    )


def _route_option(request: ImportRequest) -> str:
    return str(request.options.get("route_id") or "")


FIELD_OBSERVATIONS = ImportKind(
    "field_observations", Action.RECORD_FIELD_MONITORING, _store, counts=("added",)
)


def import_observations(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    reader: str = "4mi",
    route_id: str | None = None,
    file_name: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    request = ImportRequest(
        actor,
        reader,
        path,
        file_name=file_name,
        strict=strict,
        dry_run=dry_run,
        options={"route_id": route_id} if route_id else {},
    )

    def already_imported(session: Any, report: ImportReport) -> int | None:
        # the same file for the same route with the same reader: nothing would change
        return MonitoringRepository(session).batch_with(
            report.file_sha256, reader, _route_option(request)
        )

    return run_import(db, replace(FIELD_OBSERVATIONS, already_imported=already_imported), request)
