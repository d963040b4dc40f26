"""``GET /api/routes/{id}/report``: a route report in HTML or PDF (C4).

A stored report (same parameters, same data) is answered at once. Otherwise a logged-in caller's
report is rendered by a job (``wait=false``: 202 and the job to poll, whose result links back
here), an anonymous caller's in a worker thread; the server keeps answering meanwhile."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from itinera.domain.access import Role
from itinera.schemas.jobs import JobOut
from itinera.services import jobs
from itinera.services.reports.content import ReportRequest
from itinera.services.reports.generation import produce_report, stored_report
from itinera.services.reports.report_job import submit_report
from itinera.web.deps import ActorDep, DatabaseDep, SettingsDep
from itinera.web.jobs import accepted, finished_job

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["reports"])


@router.get(
    "/routes/{route_id}/report",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}, "text/html": {}}},
        202: {"model": JobOut, "description": "with `wait=false`: the rendering job"},
    },
)
async def route_report(
    route_id: Annotated[str, Path(max_length=64)],
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    from_: Annotated[str, Query(alias="from", pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")],
    to: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")],
    lang: Annotated[Literal["en", "fr", "ar"], Query()] = "en",
    format: Annotated[Literal["html", "pdf"], Query()] = "pdf",
    edition: Annotated[Literal["public", "internal"], Query()] = "public",
    compare: Annotated[
        str | None,
        Query(pattern=r"^\d{4}-\d{2}\.\.\d{4}-\d{2}$", description="YYYY-MM..YYYY-MM"),
    ] = None,
    wait: Annotated[
        bool, Query(description="false: answer 202 with the rendering job (logged-in callers)")
    ] = True,
) -> Response:
    """The route's report for the months asked. The internal edition needs the
    ``view_internal_monitoring`` permission; the public one is suppressed like the public API.
    The same request is served from the stored file until the data change."""
    request = ReportRequest(route_id, from_, to, lang, edition, format, compare)
    if not wait:
        return accepted(await run_in_threadpool(submit_report, db, actor, request, settings))
    report = await run_in_threadpool(stored_report, db, actor, request, settings)
    if report is None and not actor.roles <= {Role.PUBLIC}:
        job = await run_in_threadpool(submit_report, db, actor, request, settings)
        finished_job(await jobs.wait_for_job_async(db, actor, job.id))
    if report is None:  # stored by the job now (or the data changed meanwhile: rendered here)
        report = await run_in_threadpool(produce_report, db, actor, request, settings)
    disposition = "inline" if format == "html" else "attachment"
    return Response(
        report.content,
        media_type=report.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{report.filename}"',
            "X-Itinera-Report": "stored" if report.from_store else "rendered",
        },
    )
