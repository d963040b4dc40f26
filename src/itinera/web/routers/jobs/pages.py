"""``/jobs/{id}``: one job's progress for its owner. While the job runs the page reloads itself
every two seconds (a meta refresh: no script needed) and offers a reload link and a cancel
button; when it is done it shows what the job made."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.domain.access import Actor
from itinera.domain.errors import NotFoundError
from itinera.domain.jobs import Job
from itinera.services import jobs
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep
from itinera.web.imports import report_view
from itinera.web.security import verify_csrf
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)
REFRESH_SECONDS = 2


def _login(request: Request, actor: Actor, language: str) -> Response | None:
    if actor.user_id is None and actor.username == "anonymous":
        return RedirectResponse(f"/login?lang={language}&next={request.url.path}", 303)
    return None


def _result_link(job: Job, language: str) -> str | None:
    result = job.result or {}
    if result.get("href"):  # the result's own URL (a report carries its language already)
        return str(result["href"])
    if job.kind == "import.movements" and result.get("batch_id"):
        return f"/imports/{result['batch_id']}?lang={language}"
    return None


@router.get("/jobs/{job_id}", response_class=HTMLResponse, response_model=None)
def job_page(
    request: Request, job_id: int, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if (refused := _login(request, actor, language)) is not None:
        return refused
    try:
        job = jobs.get_job(db, actor, job_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(job_id))
    report = (job.result or {}).get("report")
    return render(
        request,
        "jobs/job.html",
        language,
        job=job,
        refresh=None if job.finished else REFRESH_SECONDS,
        result_href=_result_link(job, language),
        report=report_view(report) if report else None,
    )


@router.post("/jobs/{job_id}/cancel", response_model=None)
async def cancel_form(
    request: Request, job_id: int, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if (refused := _login(request, actor, language)) is not None:
        return refused
    await verify_csrf(request)
    try:
        await run_in_threadpool(jobs.cancel_job, db, actor, job_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(job_id))
    return RedirectResponse(f"/jobs/{job_id}?lang={language}", status_code=303)
