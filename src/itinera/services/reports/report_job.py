"""Route reports as jobs (issue 10, item 7): a worker renders and stores the report; the job's
result is the report's own URL, which then answers from the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from itinera.config import Settings
from itinera.domain.access import Actor
from itinera.domain.jobs import Job
from itinera.services.jobs import JobContext, JobKind, register_job_kind, submit_job
from itinera.services.reports.content import ReportRequest, edition_reader
from itinera.services.reports.generation import produce_report
from itinera.storage.database import Database

__all__ = ["KIND", "register_report_job", "report_href", "submit_report"]

KIND = "report.route"


def report_href(request: ReportRequest) -> str:
    """The URL that answers this report (from the store once a job has rendered it)."""
    query = {
        "from": request.first,
        "to": request.last,
        "lang": request.language,
        "format": request.format,
        "edition": request.edition,
    }
    if request.compare:
        query["compare"] = request.compare
    return f"/api/routes/{request.route_id}/report?{urlencode(query)}"


def submit_report(db: Database, actor: Actor, request: ReportRequest, settings: Settings) -> Job:
    """Queue the rendering of a report; the request and the permission are checked now."""
    request.check()
    edition_reader(actor, request.edition)
    return submit_job(db, actor, KIND, asdict(request), settings)


class _Rendering:
    """The :class:`ReportRunner` of a job: the rendering step shows as its progress."""

    def __init__(self, context: JobContext) -> None:
        self.context = context

    def run(self, render: Callable[[], bytes]) -> bytes:
        self.context.progress(0, 1, "rendering")
        data = render()
        self.context.progress(1, 1, "rendering")
        return data


def _run(context: JobContext) -> dict[str, Any]:
    request = ReportRequest(**context.parameters)
    report = produce_report(
        context.db, context.actor, request, context.settings, runner=_Rendering(context)
    )
    return {"href": report_href(request), "filename": report.filename, "bytes": len(report.content)}


def register_report_job() -> None:
    register_job_kind(JobKind(KIND, _run))
