"""Movement-data pages (C2): ``/imports`` (upload a publisher's file, read the report),
``/imports/{id}`` (one import batch) and ``/sources`` (sources, batches, discrepancies).

The upload form needs a logged-in user allowed to import (``Action.IMPORT_MOVEMENTS``) and a
CSRF token; it calls the same service as ``POST /api/imports``. The page and the report are
the shared ones of every import (``web/imports.py``, ``templates/imports/``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from itinera.domain.access import Action, Actor, can
from itinera.domain.errors import ItineraError, NotFoundError, ValidationError
from itinera.domain.text import localise
from itinera.services import jobs, movements
from itinera.services.catalogue import routes as route_service
from itinera.services.imports.jobs import import_report
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.form_messages import plain_problems
from itinera.web.imports import (
    form_fields,
    receive_upload,
    render_upload_page,
    report_view,
    uploaded_file,
)
from itinera.web.page_access import problems_of
from itinera.web.security import verify_csrf
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
BATCH_COUNTS = {
    "observations": "observation_count",
    "incidents": "incident_count",
    "derived": "derived_count",
}


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    """Log in first; then only users allowed to import movement data."""
    if can(actor, Action.IMPORT_MOVEMENTS):
        return None
    if actor.user_id is None:
        return RedirectResponse(f"/login?lang={language}&next={request.url.path}", status_code=303)
    return render(request, "movements/forbidden.html", language, status_code=403)


def _form(request: Request, language: str, status_code: int = 200, **context: Any) -> Response:
    return render_upload_page(
        request,
        language,
        "movements",
        status_code=status_code,
        readers=movements.movement_readers(),
        **context,
    )


@router.get("/imports", response_class=HTMLResponse, response_model=None)
def imports_page(request: Request, actor: ActorDep, language: LanguageDep) -> Response:
    return _gate(request, actor, language) or _form(request, language)


@router.post("/imports", response_model=None)
async def imports_form(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
) -> Response:
    gate = _gate(request, actor, language)
    if gate is not None:
        return gate
    form = await request.form()
    try:  # the CSRF check inside, so that the uploaded files are closed whatever happens
        await verify_csrf(request)
        return await _import_upload(request, db, actor, settings, language, form)
    finally:
        await form.close()


async def _import_upload(
    request: Request, db: Any, actor: Actor, settings: Any, language: str, form: FormData
) -> Response:
    fields = form_fields(form)
    try:
        upload = uploaded_file(form, "file", required=True)
        mapping = uploaded_file(form, "mapping")
        with tempfile.TemporaryDirectory(prefix="itinera-upload-") as folder:
            limit = settings.max_upload_bytes
            path = await receive_upload(upload, limit, Path(folder))  # type: ignore[arg-type]
            options: dict[str, Any] = {}
            if mapping is not None:
                (Path(folder) / "mapping").mkdir()
                options["mapping"] = await receive_upload(mapping, limit, Path(folder) / "mapping")
            flags: dict[str, Any] = {
                "source": fields.get("source") or None,
                "strict": "strict" in fields,
                "dry_run": "dry_run" in fields,
            }
            reader = fields.get("reader", "")
            if options:  # a mapping upload: imported here, in a worker thread
                found = await run_in_threadpool(
                    movements.import_file, db, actor, reader, path, **flags, **options
                )
                report = found.as_dict()
            else:  # a job: listed, resumable, and the server keeps answering
                job = await run_in_threadpool(
                    movements.submit_movement_import, db, actor, settings, reader, path, **flags
                )
                report = import_report(await jobs.wait_for_job_async(db, actor, job.id))
    except ItineraError as error:
        problems = problems_of(error)
        if isinstance(error, ValidationError) and [e.field for e in error.errors] == ["reader"]:
            problems = plain_problems(error, language, fields)  # the file's type not detected
        return _form(request, language, status_code=422, form=fields, problems=problems)
    if report["batch_id"] is not None and report["status"] in ("imported", "unchanged"):
        target = f"/imports/{report['batch_id']}?lang={language}"
        if report["status"] == "unchanged":
            target += "&unchanged=1"
        return RedirectResponse(target, status_code=303)
    return _form(request, language, form=fields, report=report_view(report))


@router.get("/imports/{batch_id}", response_class=HTMLResponse, response_model=None)
def import_report_page(
    request: Request, batch_id: int, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    try:
        batch = movements.get_batch(db, actor, batch_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(batch_id))
    report = {
        **batch,
        "kind": "movements",
        "batch_id": batch["id"],
        "status": "unchanged" if request.query_params.get("unchanged") else "imported",
    }
    report.update({name: batch[column] for name, column in BATCH_COUNTS.items()})
    shown = report_view(report, issues_href=f"/api/imports/{batch_id}/issues.csv")
    return render(request, "movements/import_report.html", language, report=shown)


@router.post("/imports/{batch_id}/remove", response_model=None)
async def remove_batch_form(
    request: Request, batch_id: int, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    """Remove one batch (the button on its report page), then show the sources."""
    gate = _gate(request, actor, language)
    if gate is not None:
        return gate
    await verify_csrf(request)
    try:
        await run_in_threadpool(movements.remove_batch, db, actor, batch_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(batch_id))
    return RedirectResponse(f"/sources?lang={language}", status_code=303)


@router.get("/sources", response_class=HTMLResponse, response_model=None)
def sources_page(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    found = movements.list_sources(db, actor)
    for source in found:
        batches = source["batches"]
        source["datasets"] = sorted({b["dataset"] for b in batches})
        source["vintages"] = sorted({b["vintage"] for b in batches if b["vintage"]}, reverse=True)
    differences = movements.discrepancies(db, actor, movements.ObservationFilter(), limit=100)
    reconciled = movements.reconciliation(db, actor, movements.ObservationFilter())
    route_names = {r.id: localise(r.name, language) for r in route_service.list_routes(db)}
    return render(
        request,
        "movements/sources.html",
        language,
        sources=found,
        discrepancies=differences,
        reconciled=reconciled,
        route_names=route_names,
    )
