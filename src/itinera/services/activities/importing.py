"""Import activity files (HXL 3W/4W, tables with a column mapping) through the one import
pipeline (``services.imports``): the same report, refusal rules and issues CSV as movement data.

The check step maps each activity's sector to a pillar and service types (reference data
``activity_sectors.yaml``); a sector with no pillar (coordination, logistics …) or unknown
refuses the rows of that activity with the reason, so that every row is either imported or
refused with a reason. Nothing is written before the check, so a refused file or a dry run
writes nothing. The store step resolves organisation names through the registry (aliases,
acronyms), adds new activities and replaces the figures of those already imported from the
same source (matched on the source's activity key), and records the distinct organisations
before and after resolution.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from itinera.domain.access import Action, Actor
from itinera.domain.activity import Activity, ActivityFigure, ActivityStatus, ReportState
from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue
from itinera.importers.activities_hxl import read_activities_hxl, read_activities_table
from itinera.importers.activities_rows import ActivityRead, RawActivity
from itinera.reference.activities import (
    SectorMapping,
    packaged_mapping,
    packaged_mapping_names,
    sector_key,
    sector_mappings,
)
from itinera.services.activities.organisations import OrganisationResolver
from itinera.services.imports import FileReader, ImportKind, ImportReport, ImportRequest, run_import
from itinera.storage.activities.activity_repository import ActivityRepository
from itinera.storage.database import Database

__all__ = ["ACTIVITIES", "ACTIVITY_READERS", "FORMATS", "import_activities", "load_mapping"]

FORMATS = ("hxl", "table")


@dataclass
class _Checked:
    read: ActivityRead
    sectors: dict[str, SectorMapping]


def load_mapping(text: str | bytes | None = None, *, name: str | None = None) -> dict[str, Any]:
    """A column mapping document, ``columns: {header: hashtag}``: from YAML or JSON text, or
    one shipped with Itinera by name (``activityinfo``)."""
    if name is not None:
        found = packaged_mapping(name)
        if found is None:
            known = ", ".join(packaged_mapping_names())
            raise ValidationError.single("mapping", f"no mapping named {name!r} (known: {known})")
        return dict(found)
    try:
        document = yaml.safe_load(text or "")
    except yaml.YAMLError:
        document = None
    if not isinstance(document, dict) or not isinstance(document.get("columns"), dict):
        raise ValidationError.single("mapping", "a mapping needs 'columns: {header: hashtag}'")
    return document


def import_activities(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    format: str = "hxl",
    mapping: Mapping[str, Any] | None = None,
    source: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    file_name: str | None = None,
) -> ImportReport:
    """Import an activity file as one batch; see the module doc."""
    if format == "table" and mapping is None:
        raise ValidationError.single("mapping", "a table needs a column mapping (--mapping)")
    request = ImportRequest(
        actor,
        format,
        path,
        file_name=file_name,
        source=source or path.stem,
        strict=strict,
        dry_run=dry_run,
        options={"document": mapping} if format == "table" else {},
    )
    return run_import(db, ACTIVITIES, request)


def _already(session: Any, report: ImportReport) -> int | None:
    return ActivityRepository(session).batch_with(report.file_sha256, report.reader)


def _check(session: Any, read: object, report: ImportReport, request: ImportRequest) -> _Checked:
    assert isinstance(read, ActivityRead), type(read)
    table = sector_mappings()
    found: dict[str, SectorMapping] = {}
    for key, activity in list(read.activities.items()):
        mapping = table.get(sector_key(activity.sector))
        reason = (
            "the sector is not in the sector → pillar table"
            if mapping is None
            else "the sector is not work with people on the move (no pillar)"
            if mapping.pillar is None
            else None
        )
        if reason is None and mapping is not None:
            found[key] = mapping
            continue
        rows = sorted({activity.row, *(f.row for f in activity.figures)})
        for row in rows:
            read.rejected_rows.add(row)
            read.issues.append(
                Issue(
                    report.file_name,
                    reason or "",
                    row=row,
                    column="sector",
                    tag="#sector",
                    value=activity.sector,
                    suggestion="map the sector to a pillar in activity_sectors.yaml",
                )
            )
        del read.activities[key]
    report.rows_read = read.rows_read
    report.rows_rejected = len(read.rejected_rows)
    report.issues = list(read.issues)
    for mapping in found.values():
        pillar = str(mapping.pillar)
        report.details["pillars"][pillar] = report.details["pillars"].get(pillar, 0) + 1
    return _Checked(read, found)


def _store(session: Any, checked: _Checked, report: ImportReport, request: ImportRequest) -> None:
    repo, counts, read = ActivityRepository(session), report.counts, checked.read
    batch = repo.add_batch(
        source=report.source,
        file_name=report.file_name,
        format=report.reader,
        checksum=report.file_sha256,
        rows_read=report.rows_read,
        imported_by=request.actor.username,
        report={},
    )
    resolver = OrganisationResolver(session)
    raw_names = set()
    for key, raw in read.activities.items():
        raw_names.update([raw.organisation, *raw.funders])
        if raw.programme_organisation:
            raw_names.add(raw.programme_organisation)
        activity = _activity(raw, checked.sectors[key], resolver, report.source)
        existing = repo.by_external(report.source, key)
        if existing is None:
            repo.add(activity, batch_id=batch)
            counts["added"] += 1
        else:
            repo.update(existing, activity)
            repo.put_figures(existing, activity.figures)
            counts["updated"] += 1
        counts["figures"] += len(activity.figures)
    counts["organisations_named"] = len({n.strip() for n in raw_names})
    counts["organisations_resolved"] = len(set(resolver.resolved.values()))
    counts["organisations_new"] = len(resolver.created)
    counts["merge_suggestions"] = resolver.suggest_merges()
    report.batch_id = batch
    report.message = (
        f"{report.rows_read} rows read, {report.rows_rejected} refused; {counts['added']} "
        f"activities added, {counts['updated']} updated; {counts['organisations_named']} "
        f"organisation names → {counts['organisations_resolved']} organisations"
    )


def _activity(
    raw: RawActivity, mapping: SectorMapping, resolver: OrganisationResolver, source: str
) -> Activity:
    status = raw.status.casefold() if raw.status else ""
    return Activity(
        id=None,
        organisation_id=resolver.resolve(raw.organisation),
        sector=raw.sector,
        pillar=mapping.pillar or 0,
        country=raw.country,
        title=raw.title,
        programme_organisation_id=(
            resolver.resolve(raw.programme_organisation) if raw.programme_organisation else None
        ),
        funder_ids=tuple(resolver.resolve(f) for f in raw.funders),
        project_code=raw.project_code,
        key_area=mapping.key_area,
        service_types=mapping.service_types,
        adm1=raw.adm1,
        adm2=raw.adm2,
        lat=raw.lat,
        lon=raw.lon,
        population_group=raw.population_group,
        start=raw.start,
        end=raw.end,
        status=ActivityStatus(status) if status in set(ActivityStatus) else ActivityStatus.ONGOING,
        indicator=raw.indicator,
        aggregation=raw.aggregation,
        budget=raw.budget,
        currency=raw.currency,
        source=source,
        external_id=raw.key,
        figures=tuple(
            ActivityFigure(f.period, f.in_need, f.targeted, f.reached, state=ReportState.APPROVED)
            for f in raw.figures
        ),
    )


def _read_hxl(path: Path, **_options: Any) -> ActivityRead:
    return read_activities_hxl(path)


def _read_table(path: Path, *, document: Mapping[str, Any], **_options: Any) -> ActivityRead:
    return read_activities_table(path, document=document)


ACTIVITIES = ImportKind(
    "activities",
    Action.IMPORT_ACTIVITIES,
    _store,
    already_imported=_already,
    check=_check,
    reader_field="format",
    counts=(
        "added",
        "updated",
        "figures",
        "organisations_named",
        "organisations_resolved",
        "organisations_new",
        "merge_suggestions",
    ),
    details={"pillars": {}},
)
ACTIVITY_READERS = (
    FileReader("activities", "hxl", _read_hxl, "HXL-tagged 3W/4W CSV or XLSX (1.x or 2014 tags)"),
    FileReader("activities", "table", _read_table, "CSV or XLSX table with a column mapping"),
)
