"""Import service lists (HXL 3W/4W, HSDS 3.0, CSV/XLSX with a mapping) into the registry.

Runs through the shared import pipeline (``services.imports``): one transaction (all or
nothing), every problem reported with file, row and field, the same refusal rules as every
kind (an error about the whole file, or any error under ``strict``, stores nothing). Here the
check step (sectors, service types, validation) runs before anything is written, so a refused
file or a dry run writes nothing at all. Re-importing the same file changes nothing (points
are matched on their source and external id, and skipped when their fingerprint is
unchanged), and each point records the batch it came from (provenance).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.organisation import Organisation
from itinera.domain.service_point import ServicePoint
from itinera.importers.services_hsds import read_hsds_services
from itinera.importers.services_hxl import read_hxl_services
from itinera.importers.services_rows import ReadOutcome, fingerprint
from itinera.importers.services_table import read_table_services
from itinera.services.imports import (
    FileReader,
    ImportKind,
    ImportReport,
    ImportRequest,
    reader_for,
    run_import,
)
from itinera.services.services_map.mappings import load_mapping
from itinera.services.services_map.point_checks import resolve_points
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.database import Database
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = [
    "FORMATS",
    "SERVICES",
    "SERVICE_READERS",
    "ImportReport",
    "import_services",
    "load_mapping",
    "load_sector_table",
]

log = logging.getLogger(__name__)
FORMATS = ("hxl", "hsds", "table")  # the service readers' names, in the order pages list them


def load_sector_table(db: Database) -> dict[str, int]:
    """Load the packaged sector → service-type table; user edits in the store are kept."""
    document = yaml.safe_load(
        (resources.files("itinera.reference") / "data" / "service_sectors.yaml").read_text("utf-8")
    )
    counts: dict[str, int] = {}
    with db.transaction() as session:
        repo = ServicePointRepository(session)
        for entry in document["sectors"]:
            outcome = repo.save_sector(entry["sector"], entry["service_type"], "reference")
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def import_services(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    format: str = "hxl",
    mapping: Mapping[str, Any] | str | None = None,  # a document or a name, never a path
    source: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    save_mapping_as: str | None = None,
    file_name: str | None = None,
) -> ImportReport:
    """Import a service list through the shared pipeline; see the module doc."""
    require(actor, Action.IMPORT_SERVICES)
    reader_for(SERVICES.name, format, field="format")  # before reading any mapping
    if not path.is_file():
        raise ValidationError.single("file", f"{path.name} is not a readable file")
    load_sector_table(db)
    document = load_mapping(db, mapping) if format == "table" else None
    request = ImportRequest(
        actor,
        format,
        path,
        file_name=file_name,
        source=source or (document or {}).get("source") or path.stem,
        strict=strict,
        dry_run=dry_run,
        options={"document": document} if document is not None else {},
        store_options={"save_mapping_as": save_mapping_as, "document": document},
    )
    return run_import(db, SERVICES, request)


def _check(session: Any, read: object, report: ImportReport, request: ImportRequest) -> Any:
    """Map sectors to service types and build the domain points; every problem to the report."""
    assert isinstance(read, ReadOutcome), type(read)
    report.rows_read = read.rows_read
    report.issues = list(read.issues)
    points = resolve_points(session, read, report)
    report.rows_rejected = len(read.rejected_rows)
    return points


def _store(session: Any, points: Any, report: ImportReport, request: ImportRequest) -> None:
    """Add new points, replace changed ones, count unchanged ones: one batch."""
    repo, counts = ServicePointRepository(session), report.counts
    batch = repo.add_batch(
        source=report.source,
        file_name=report.file_name,
        format=report.reader,
        checksum=report.file_sha256,
        rows_read=report.rows_read,
        added=0,
        updated=0,
        unchanged=0,
        imported_by=request.actor.username,
        report={},
    )
    organisations = OrganisationRepository(session)
    for raw, point in points:
        ids = tuple(
            organisations.get_or_add(Organisation(None, n)).id or 0 for n in raw.organisations
        )
        point = ServicePoint(**{**point.__dict__, "organisation_ids": ids, "source": report.source})
        found = repo.by_external(report.source, raw.external_id)
        digest = fingerprint(raw)
        if found is None:
            repo.add(point, fingerprint=digest, batch_id=batch)
            counts["added"] += 1
        elif found[1] == digest:
            counts["unchanged"] += 1
        else:
            repo.replace(found[0].id or 0, point, fingerprint=digest, batch_id=batch)
            counts["updated"] += 1
    document, save_as = (
        request.store_options.get("document"),
        request.store_options.get("save_mapping_as"),
    )
    if save_as and document is not None:
        repo.save_mapping(save_as, document)
    repo.set_batch_counts(
        batch,
        added=counts["added"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        report={
            "rows_rejected": report.rows_rejected,
            "non_service": report.details["non_service"],
            "issues": report.issue_count,
        },
    )
    report.batch_id = batch
    report.message = (
        f"{report.rows_read} rows read, {report.rows_rejected} rejected; "
        f"{counts['added']} points added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged"
    )


def _read_hxl(path: Path, **_options: Any) -> ReadOutcome:
    return read_hxl_services(path)


def _read_hsds(path: Path, **_options: Any) -> ReadOutcome:
    return read_hsds_services(path)


def _read_table(path: Path, *, document: dict[str, Any], **_options: Any) -> ReadOutcome:
    return read_table_services(path, document)


SERVICES = ImportKind(
    "services",
    Action.IMPORT_SERVICES,
    _store,
    check=_check,
    reader_field="format",
    counts=("added", "updated", "unchanged"),
    details={"non_service": {}},  # sector -> rows that offer no service
)
SERVICE_READERS = (
    FileReader("services", "hxl", _read_hxl, "HXL-tagged CSV or XLSX (3W/4W, directory)"),
    FileReader("services", "hsds", _read_hsds, "Open Referral HSDS 3.0 (JSON)"),
    FileReader("services", "table", _read_table, "CSV or XLSX table with a column mapping"),
)
