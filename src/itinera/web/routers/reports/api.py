"""``GET /api/routes/{id}/report``: a route report in HTML or PDF (C4).

Rendered synchronously for now (in a worker thread, so the server keeps serving); the job queue
will answer a job to poll instead, through ``services.reports.generation.ReportRunner``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from itinera.services.reports.content import ReportRequest
from itinera.services.reports.generation import produce_report
from itinera.web.deps import ActorDep, DatabaseDep, SettingsDep

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["reports"])


@router.get(
    "/routes/{route_id}/report",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "text/html": {}}}},
)
def route_report(
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
) -> Response:
    """The route's report for the months asked. The internal edition needs the
    ``view_internal_monitoring`` permission; the public one is suppressed like the public API.
    The same request is served from the stored file until the data change."""
    request = ReportRequest(route_id, from_, to, lang, edition, format, compare)
    report = produce_report(db, actor, request, settings)
    disposition = "inline" if format == "html" else "attachment"
    return Response(
        report.content,
        media_type=report.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{report.filename}"',
            "X-Itinera-Report": "stored" if report.from_store else "rendered",
        },
    )
