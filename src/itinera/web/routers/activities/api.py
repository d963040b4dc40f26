"""``/api/activities`` and ``/api/routes/{id}/gap-matrix``: activities by pillar (C6) as JSON."""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Response, UploadFile

from itinera.schemas import MAX_DATABASE_INT
from itinera.schemas.activities import ActivityIn, ActivityOut, FigureIn, activity_out
from itinera.services.activities import exports, gaps, importing, places, reporting
from itinera.web.deps import ActorDep, DatabaseDep, SettingsDep
from itinera.web.imports import receive_upload
from itinera.web.media import CSV_ANSWER
from itinera.web.routers.movements.api import csrf_for_cookie_calls

__all__ = ["router"]

router = APIRouter(tags=["activities"])
CSRF = [Depends(csrf_for_cookie_calls)]

RouteId = Annotated[str, Path(max_length=64, description="route id, e.g. central-mediterranean")]
ActivityId = Annotated[int, Path(ge=1, le=MAX_DATABASE_INT)]
Year = Annotated[int, Query(ge=1900, le=2100, description="calendar year")]
Period = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


@router.get("/api/routes/{route_id}/gap-matrix", response_model=dict[str, Any])
def gap_matrix(
    route_id: RouteId, year: Year, db: DatabaseDep, actor: ActorDep, settings: SettingsDep
) -> dict[str, Any]:
    """Countries in route order × the six pillars: organisations, activities, people in need,
    targeted and reached (never double-counted), actors per 1,000 people moving through,
    coverage, and cells with movement but no actor flagged."""
    return gaps.gap_matrix(
        db, actor, route_id, year, threshold=settings.analytics_suppression_threshold
    )


@router.get("/api/routes/{route_id}/gap-matrix.csv", response_class=Response, responses=CSV_ANSWER)
def gap_matrix_csv(
    route_id: RouteId, year: Year, db: DatabaseDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """The gap matrix as CSV, one line per country × pillar."""
    matrix = gaps.gap_matrix(
        db, actor, route_id, year, threshold=settings.analytics_suppression_threshold
    )
    return Response(
        gaps.gap_matrix_csv(matrix),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="gap-matrix-{year}.csv"'},
    )


@router.get("/api/activities", response_model=list[ActivityOut])
def list_activities(
    db: DatabaseDep,
    actor: ActorDep,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
    pillar: Annotated[int | None, Query(ge=1, le=6)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="present in this year")] = None,
    organisation: Annotated[int | None, Query(ge=1, le=MAX_DATABASE_INT)] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> list[ActivityOut]:
    """Who does what where (logged-in users); budgets only for roles allowed to see them.
    ``country``, ``pillar`` and ``year`` together list the activities a gap matrix cell
    counts (its drill-down)."""
    found = reporting.list_activities(
        db,
        actor,
        countries=[country] if country else None,
        pillar=pillar,
        year=year,
        organisation_id=organisation,
        limit=limit,
    )
    return [activity_out(a) for a in found]


@router.get("/api/activities/overlaps", response_model=list[dict[str, Any]])
def overlaps(
    db: DatabaseDep,
    actor: ActorDep,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
) -> list[dict[str, Any]]:
    """Places where two or more organisations offer the same service type."""
    return [o.__dict__ for o in places.overlaps(db, actor, country=country)]


@router.get("/api/services/points/{point_id}/activities", response_model=list[ActivityOut])
def activities_at_point(
    point_id: ActivityId, db: DatabaseDep, actor: ActorDep, settings: SettingsDep
) -> list[ActivityOut]:
    """The activities delivered at a service point (within the duplicate radius)."""
    found = places.activities_at_point(
        db,
        actor,
        point_id,
        radius_km=settings.services_duplicate_radius_km,
        stale_after_days=settings.services_stale_after_days,
    )
    return [activity_out(a) for a in found]


@router.get("/api/activities/export", response_class=Response, responses=CSV_ANSWER)
def export(
    db: DatabaseDep,
    actor: ActorDep,
    level: Annotated[Literal["activity", "presence"], Query()] = "activity",
) -> Response:
    """HXL CSV: one row per activity and period, or operational presence (3W:OP)."""
    if level == "activity":
        text = exports.export_activities_hxl(db, actor)
    else:
        text = exports.export_presence_hxl(db, actor)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="activities-{level}.hxl.csv"'},
    )


@router.post("/api/activities/import", response_model=dict[str, Any], dependencies=CSRF)
async def import_file(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="HXL 3W/4W CSV/XLSX, or a table")],
    format: Annotated[Literal["hxl", "table"], Form()] = "hxl",
    mapping: Annotated[
        str | None, Form(description="a shipped mapping name, or the mapping as YAML/JSON")
    ] = None,
    dry_run: Annotated[bool, Form()] = False,
    strict: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Import an activity file through the one import pipeline (the same report as movements)."""
    document = None
    if mapping:
        text_given = "columns" in mapping
        document = (
            importing.load_mapping(mapping) if text_given else importing.load_mapping(name=mapping)
        )
    with tempfile.TemporaryDirectory(prefix="itinera-activities-") as folder:
        path = await receive_upload(file, settings.max_upload_bytes, FilePath(folder))
        report = importing.import_activities(
            db,
            actor,
            path,
            format=format,
            mapping=document,
            dry_run=dry_run,
            strict=strict,
            file_name=file.filename,
        )
    return report.as_dict()


@router.post("/api/activities", response_model=ActivityOut, status_code=201, dependencies=CSRF)
def add_activity(body: ActivityIn, db: DatabaseDep, actor: ActorDep) -> ActivityOut:
    """Add an activity of the caller's own organisation."""
    return activity_out(
        reporting.add_activity(db, actor, body.to_domain(actor.organisation_id or 0))
    )


@router.get("/api/activities/{activity_id}", response_model=ActivityOut)
def get_activity(activity_id: ActivityId, db: DatabaseDep, actor: ActorDep) -> ActivityOut:
    return activity_out(reporting.get_activity(db, actor, activity_id))


@router.put("/api/activities/{activity_id}", response_model=ActivityOut, dependencies=CSRF)
def update_activity(
    activity_id: ActivityId, body: ActivityIn, db: DatabaseDep, actor: ActorDep
) -> ActivityOut:
    """Change an activity of the caller's own organisation (others answer 403)."""
    changed = body.to_domain(actor.organisation_id or 0)
    return activity_out(reporting.update_activity(db, actor, activity_id, changed))


@router.put("/api/activities/{activity_id}/figures", status_code=204, dependencies=CSRF)
def report_figures(
    activity_id: ActivityId, body: FigureIn, db: DatabaseDep, actor: ActorDep
) -> Response:
    """Enter a draft figure of an open period."""
    reporting.report_figures(db, actor, activity_id, body.to_domain())
    return Response(status_code=204)


@router.post(
    "/api/activities/{activity_id}/reports/{period}/submit", status_code=204, dependencies=CSRF
)
def submit(activity_id: ActivityId, period: Period, db: DatabaseDep, actor: ActorDep) -> Response:
    reporting.submit_report(db, actor, activity_id, period)
    return Response(status_code=204)


@router.post(
    "/api/activities/{activity_id}/reports/{period}/review", status_code=204, dependencies=CSRF
)
def review(
    activity_id: ActivityId,
    period: Period,
    db: DatabaseDep,
    actor: ActorDep,
    decision: Annotated[Literal["approve", "return"], Query()],
) -> Response:
    """A coordinator approves or returns a submitted report."""
    reporting.review_report(db, actor, activity_id, period, approve=decision == "approve")
    return Response(status_code=204)


@router.put("/api/activities/periods/{period}", status_code=204, dependencies=CSRF)
def set_period(
    period: Period,
    db: DatabaseDep,
    actor: ActorDep,
    state: Annotated[Literal["open", "closed"], Query()],
) -> Response:
    """A coordinator opens or closes a reporting period."""
    reporting.set_period(db, actor, period, open=state == "open")
    return Response(status_code=204)
