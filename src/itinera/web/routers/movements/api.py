"""``/api/imports``, ``/api/observations``, ``/api/sources``, ``/api/discrepancies`` (C2)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from itinera.schemas import MAX_DATABASE_INT
from itinera.schemas.jobs import JobOut
from itinera.schemas.movements import ImportReportOut, ObservationPage, RouteChoice
from itinera.services import jobs, movements
from itinera.services.imports import issues_csv
from itinera.services.imports.jobs import import_report
from itinera.web.deps import ActorDep, DatabaseDep, SettingsDep
from itinera.web.imports import receive_upload
from itinera.web.jobs import accepted
from itinera.web.media import CSV_ANSWER
from itinera.web.security import SESSION_COOKIE, bearer_token, verify_csrf

__all__ = ["csrf_for_cookie_calls", "router"]

BatchId = Annotated[int, PathParam(ge=1, le=MAX_DATABASE_INT)]

router = APIRouter(prefix="/api", tags=["movements"])


async def csrf_for_cookie_calls(request: Request) -> None:
    """A call authenticated by the session cookie (a browser) must carry the CSRF token
    (``csrf_token`` form field or ``X-CSRF-Token`` header); bearer-token calls are exempt."""
    if request.cookies.get(SESSION_COOKIE) and bearer_token(request) is None:
        await verify_csrf(request)


@router.post(
    "/imports",
    response_model=None,
    status_code=202,
    dependencies=[Depends(csrf_for_cookie_calls)],
    responses={
        200: {"model": ImportReportOut, "description": "with `wait=true`: the import report"},
        202: {"model": JobOut, "description": "the queued import job (see `Location`)"},
    },
)
async def create_import(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="the publisher's file")],
    reader: Annotated[str, Form(description="reader name, e.g. missing-migrants, hxl")],
    source: Annotated[str | None, Form(description="source key (hxl, table)")] = None,
    strict: Annotated[bool, Form(description="reject the whole file on any error")] = False,
    dry_run: Annotated[bool, Form(description="check only; store nothing")] = False,
    wait: Annotated[
        bool, Query(description="answer the import report when the job ends, not the job")
    ] = False,
) -> Response:
    """Queue the import of an uploaded file as one atomic batch: answers 202 with the job
    (poll `GET /api/jobs/{id}`; its `result.report` is the import report), or with
    `wait=true` the report itself once the job has ended. The server keeps answering other
    requests meanwhile."""
    with tempfile.TemporaryDirectory(prefix="itinera-upload-") as folder:
        path = await receive_upload(file, settings.max_upload_bytes, Path(folder))
        job = await run_in_threadpool(
            movements.submit_movement_import,
            db,
            actor,
            settings,
            reader,
            path,
            source=source or None,
            strict=strict,
            dry_run=dry_run,
        )
    if not wait:
        return accepted(job)
    report = import_report(await jobs.wait_for_job_async(db, actor, job.id))
    return JSONResponse(ImportReportOut.model_validate(report).model_dump(mode="json"))


@router.get("/imports/{batch_id}")
def get_import(batch_id: BatchId, db: DatabaseDep, actor: ActorDep) -> dict[str, Any]:
    """One import batch: provenance, counts, unmapped routes and issues."""
    return movements.get_batch(db, actor, batch_id)


@router.delete(
    "/imports/{batch_id}", status_code=204, dependencies=[Depends(csrf_for_cookie_calls)]
)
def delete_import(batch_id: BatchId, db: DatabaseDep, actor: ActorDep) -> Response:
    """Remove one import batch: the store is back to its state before that import."""
    movements.remove_batch(db, actor, batch_id)
    return Response(status_code=204)


@router.get("/imports/{batch_id}/issues.csv", response_class=Response, responses=CSV_ANSWER)
def get_import_issues(batch_id: BatchId, db: DatabaseDep, actor: ActorDep) -> Response:
    """The batch's issues as CSV, one line per problem, in the columns of every import's issues
    CSV: file, row, column, tag, value, severity, message, suggestion."""
    batch = movements.get_batch(db, actor, batch_id)
    filename = f"import-{batch_id}-issues.csv"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(
        issues_csv(batch["issues"]), media_type="text/csv; charset=utf-8", headers=disposition
    )


@router.get("/observations", response_model=ObservationPage)
def list_observations(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    indicator: str | None = None,
    route_id: str | None = None,
    country: str | None = None,
    nationality: str | None = None,
    source: str | None = None,
    period_from: Annotated[str | None, Query(alias="from", description="YYYY-MM")] = None,
    period_to: Annotated[str | None, Query(alias="to", description="YYYY-MM")] = None,
    include_superseded: bool = False,
    route_method: Annotated[
        str | None,
        Query(description="alias, publisher, place-rule, coordinates, analyst, or none"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_DATABASE_INT)] = 0,
) -> ObservationPage:
    """Stored figures with provenance, filtered and paged. Without the exact-figures
    permission, counts under the suppression threshold, and figures that would reveal them,
    answer ``value: null`` with ``suppressed: true``."""
    filters = movements.ObservationFilter(
        indicator=indicator,
        route_id=route_id,
        country=country,
        nationality=nationality,
        source=source,
        period_from=period_from,
        period_to=period_to,
        include_superseded=include_superseded,
        route_method=route_method,
    )
    total, items = movements.query_observations(
        db,
        actor,
        filters,
        limit=limit,
        offset=offset,
        threshold=settings.analytics_suppression_threshold,
    )
    return ObservationPage(total=total, limit=limit, offset=offset, items=items)


@router.put("/{kind}s/route", dependencies=[Depends(csrf_for_cookie_calls)], response_model=None)
def set_route(
    kind: Annotated[str, PathParam(pattern="^(observation|incident)$")],
    choice: RouteChoice,
    db: DatabaseDep,
    actor: ActorDep,
) -> dict[str, Any]:
    """An analyst's route for stored figures (``/api/observations/route``) or incidents
    (``/api/incidents/route``); kept over later imports and alias changes."""
    changed = movements.set_route(db, actor, kind, choice.ids, choice.route_id)
    return {"changed": changed, "route_id": choice.route_id, "route_method": "analyst"}


@router.get("/sources")
def list_sources(db: DatabaseDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Every source with its import batches."""
    return movements.list_sources(db, actor)


@router.get("/discrepancies")
def list_discrepancies(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    indicator: str | None = None,
    route_id: str | None = None,
    period_from: Annotated[str | None, Query(alias="from", description="YYYY-MM")] = None,
    period_to: Annotated[str | None, Query(alias="to", description="YYYY-MM")] = None,
) -> list[dict[str, Any]]:
    """Where sources disagree on the same figure, with the headline (preferred) source."""
    filters = movements.ObservationFilter(
        indicator=indicator, route_id=route_id, period_from=period_from, period_to=period_to
    )
    return movements.discrepancies(
        db, actor, filters, threshold=settings.analytics_suppression_threshold
    )


@router.get("/reconciliation")
def get_reconciliation(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    route_id: str | None = None,
    source: str | None = None,
    period_from: Annotated[str | None, Query(alias="from", description="YYYY-MM")] = None,
    period_to: Annotated[str | None, Query(alias="to", description="YYYY-MM")] = None,
) -> dict[str, Any]:
    """What was revised between a source's vintages, and where related indicators of two
    publishers differ beyond the tolerances of the reference data, with both figures."""
    filters = movements.ObservationFilter(
        route_id=route_id, source=source, period_from=period_from, period_to=period_to
    )
    return movements.reconciliation(
        db, actor, filters, threshold=settings.analytics_suppression_threshold
    )
