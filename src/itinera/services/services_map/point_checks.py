"""The check step of a service-list import: raw points read from a file become domain points.

Sectors are mapped to service types through the sector table, every point is validated, and
each problem goes to the report with file, row and field (nothing is written here).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from itinera.domain.issues import Issue, Severity
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
from itinera.importers.services_rows import RawPoint, ReadOutcome
from itinera.importers.services_table import NON_SERVICE
from itinera.services.imports import ImportReport
from itinera.storage.accounts.organisation_repository import organisation_key
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = ["resolve_points"]


def resolve_points(
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
                            report.file_name,
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
                non_service = report.details["non_service"]
                non_service[label] = non_service.get(label, 0) + 1
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
                        report.file_name,
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
                report.issues.append(
                    Issue(report.file_name, message, raw.row, message.split(":")[0])
                )
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
