"""Import service lists (HXL 3W/4W, HSDS 3.0, CSV/XLSX with a mapping) into the registry.

The guarantees are those of the movement importers: one transaction (all or nothing), every
problem reported with file, row and field, re-importing the same file changes nothing
(points are matched on their source and external id, and skipped when their fingerprint is
unchanged), and each point records the batch it came from (provenance).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue, Severity
from itinera.domain.organisation import Organisation
from itinera.domain.reference import ReferenceCategory
from itinera.domain.service_point import (
    ContactChannel,
    ContactKind,
    PointKind,
    PointStatus,
    Population,
    ServiceOffer,
    ServicePoint,
    validate_service_point,
)
from itinera.importers.parsing import parse_date
from itinera.importers.services_hsds import read_hsds_services
from itinera.importers.services_hxl import read_hxl_services
from itinera.importers.services_rows import RawPoint, ReadOutcome, fingerprint
from itinera.importers.services_table import NON_SERVICE, read_table_services
from itinera.services.services_map.mappings import load_mapping
from itinera.storage.accounts.organisation_repository import (
    OrganisationRepository,
    organisation_key,
)
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.database import Database
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = ["FORMATS", "ImportReport", "import_services", "load_mapping", "load_sector_table"]

log = logging.getLogger(__name__)
FORMATS = ("hxl", "hsds", "table")


@dataclass
class ImportReport:
    file: str
    format: str
    source: str
    dry_run: bool
    rows_read: int = 0
    rows_rejected: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    non_service: dict[str, int] = field(default_factory=dict)  # sector → rows
    issues: list[Issue] = field(default_factory=list)
    batch_id: int | None = None
    stored: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["issues"] = [i.as_dict() for i in self.issues]
        return data


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
) -> ImportReport:
    require(actor, Action.IMPORT_SERVICES)
    if format not in FORMATS:
        raise ValidationError.single("format", f"{format!r} is not one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise ValidationError.single("file", f"{path} does not exist")
    load_sector_table(db)
    document: dict[str, Any] | None = None
    if format == "table":
        document = load_mapping(db, mapping)
        outcome = read_table_services(path, document)
    elif format == "hsds":
        outcome = read_hsds_services(path)
    else:
        outcome = read_hxl_services(path)
    source = source or (document or {}).get("source") or path.stem
    report = ImportReport(
        path.name, format, source, dry_run, outcome.rows_read, issues=list(outcome.issues)
    )
    with db.transaction() as session:
        points = _resolve(session, outcome, report)
        report.rows_rejected = len(outcome.rejected_rows)
        fatal = any(i.severity is Severity.ERROR and i.row is None for i in report.issues)
        has_errors = any(i.severity is Severity.ERROR for i in report.issues)
        if fatal or (strict and has_errors) or dry_run:
            session.rollback()
            return report
        repo = ServicePointRepository(session)
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        batch = repo.add_batch(
            source=source,
            file_name=path.name,
            format=format,
            checksum=checksum,
            rows_read=outcome.rows_read,
            added=0,
            updated=0,
            unchanged=0,
            imported_by=actor.username,
            report={},
        )
        organisations = OrganisationRepository(session)
        for raw, point in points:
            ids = tuple(
                organisations.get_or_add(Organisation(None, n)).id or 0 for n in raw.organisations
            )
            point = ServicePoint(**{**point.__dict__, "organisation_ids": ids, "source": source})
            found = repo.by_external(source, raw.external_id)
            digest = fingerprint(raw)
            if found is None:
                repo.add(point, fingerprint=digest, batch_id=batch)
                report.added += 1
            elif found[1] == digest:
                report.unchanged += 1
            else:
                repo.replace(found[0].id or 0, point, fingerprint=digest, batch_id=batch)
                report.updated += 1
        if save_mapping_as and document is not None:
            repo.save_mapping(save_mapping_as, document)
        summary = report.as_dict()
        repo.set_batch_counts(
            batch,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            report={k: summary[k] for k in ("rows_rejected", "non_service")}
            | {"issues": len(report.issues)},
        )
        report.batch_id, report.stored = batch, True
    log.info(
        "service import %s: %d added, %d updated, %d unchanged, %d rows rejected",
        source,
        report.added,
        report.updated,
        report.unchanged,
        report.rows_rejected,
    )
    return report


def _resolve(
    session: Any, outcome: ReadOutcome, report: ImportReport
) -> list[tuple[RawPoint, ServicePoint]]:
    """Map sectors to service types and build domain points; problems go to the report."""
    sectors = ServicePointRepository(session).sectors()
    codes = ReferenceRepository(session).codes(ReferenceCategory.SERVICE_TYPE)
    result: list[tuple[RawPoint, ServicePoint]] = []
    for raw in outcome.points:
        offers: list[ServiceOffer] = []
        for offer in raw.offers:
            code = offer.service_type
            if code is None and offer.label is not None and offer.label.strip() in codes:
                code = offer.label.strip()  # already a service-type code (our own HXL export)
            if code is None and offer.label is not None:
                entry = sectors.get(organisation_key(offer.label))
                if entry is None:
                    report.issues.append(
                        Issue(
                            report.file,
                            f"unknown sector or service {offer.label!r}",
                            offer.row,
                            offer.column,
                            value=offer.label,
                            suggestion="add it to the sector table (itinera services sectors set)",
                        )
                    )
                    outcome.rejected_rows.add(offer.row)
                    continue
                code = entry[1] or NON_SERVICE
            if code == NON_SERVICE:
                label = offer.label or ""
                report.non_service[label] = report.non_service.get(label, 0) + 1
                continue
            if any(o.service_type == code for o in offers):
                continue
            offers.append(
                ServiceOffer(
                    code or "",
                    offer.eligibility,
                    offer.cost,
                    tuple(offer.languages),
                    offer.opening_hours,
                    offer.referral_required,
                )
            )
        if not offers:
            if not raw.offers or all(o.row not in outcome.rejected_rows for o in raw.offers):
                why = "only non-service sectors" if raw.offers else "no services listed"
                report.issues.append(
                    Issue(
                        report.file,
                        f"not stored: no service offered here ({why})",
                        raw.row,
                        severity=Severity.WARNING,
                    )
                )
            continue
        point, problems = _point(raw, offers)
        errors = problems + [
            f"{e.field}: {e.message}"
            for e in validate_service_point(point, service_type_exists=codes.__contains__)
        ]
        if errors:
            for message in errors:
                report.issues.append(Issue(report.file, message, raw.row, message.split(":")[0]))
            outcome.rejected_rows.add(raw.row)
            continue
        result.append((raw, point))
    return result


def _point(raw: RawPoint, offers: list[ServiceOffer]) -> tuple[ServicePoint, list[str]]:
    problems: list[str] = []

    def enum(kind: type[Any], value: str | None, field_name: str, default: Any) -> Any:
        if not value:
            return default
        try:
            return kind(value.strip().lower())
        except ValueError:
            problems.append(
                f"{field_name}: {value!r} is not one of {', '.join(k.value for k in kind)}"
            )
            return default

    verified: date | None = None
    if raw.last_verified:
        try:
            verified = parse_date(raw.last_verified)
        except ValueError as error:
            problems.append(f"last_verified: {error}")
    point = ServicePoint(
        None,
        raw.name,
        enum(PointKind, raw.kind, "kind", PointKind.NGO_SERVICE_POINT),
        raw.lat,
        raw.lon,
        raw.country,
        raw.admin_area,
        raw.locality,
        (),
        tuple(offers),
        tuple(enum(Population, p, "populations", Population.MIGRANTS) for p in raw.populations),
        tuple(
            ContactChannel(enum(ContactKind, k, "contacts", ContactKind.OTHER), v)
            for k, v in raw.contacts
        ),
        enum(PointStatus, raw.status, "status", PointStatus.ACTIVE),
        last_verified=verified,
        verified_by=raw.verified_by,
        external_id=raw.external_id,
        extra=dict(raw.extra),
    )
    return point, problems
