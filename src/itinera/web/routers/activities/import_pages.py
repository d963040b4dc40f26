"""Importing an activity file from the pages (C6): ``/activities/import``.

Upload an HXL 3W/4W (1.x or the tags of 2014) or a table with a column mapping (a shipped
mapping's name such as ``activityinfo``, or a YAML upload), then read the shared report of
``web/imports.py``: rows read and refused, activities added and updated, organisations before
and after resolution, every issue downloadable as CSV. Needs a user allowed to import
activities and the CSRF token; calls the same service as ``POST /api/activities/import`` and
``itinera activities import``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from itinera.domain.access import Action, Actor
from itinera.domain.errors import ItineraError
from itinera.services.activities import importing
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.imports import (
    form_fields,
    receive_upload,
    render_upload_page,
    report_view,
    uploaded_file,
)
from itinera.web.page_access import checked_form, page_gate, problems_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
MAX_MAPPING_BYTES = 64 * 1024


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request, actor, language, Action.IMPORT_ACTIVITIES, "activities/forbidden.html"
    )


def _page(request: Request, language: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("form", {"format": "hxl"})
    return render_upload_page(
        request,
        language,
        "activities",
        status_code=status_code,
        formats=importing.FORMATS,
        **context,
    )


@router.get("/activities/import", response_class=HTMLResponse, response_model=None)
def import_page(request: Request, actor: ActorDep, language: LanguageDep) -> Response:
    return _gate(request, actor, language) or _page(request, language)


@router.post("/activities/import", response_model=None)
async def import_form(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
) -> Response:
    if (gate := _gate(request, actor, language)) is not None:
        return gate
    return await checked_form(
        request, lambda form: _import(request, db, actor, settings, language, form)
    )


async def _import(
    request: Request, db: Any, actor: Actor, settings: Any, language: str, form: FormData
) -> Response:
    fields = form_fields(form)
    try:
        upload = uploaded_file(form, "file", required=True)
        mapping_file = uploaded_file(form, "mapping_file")
        document = None
        if mapping_file is not None:
            document = importing.load_mapping(await mapping_file.read(MAX_MAPPING_BYTES + 1))
        elif fields.get("mapping"):
            document = importing.load_mapping(name=fields["mapping"])
        with tempfile.TemporaryDirectory(prefix="itinera-activities-") as folder:
            path = await receive_upload(upload, settings.max_upload_bytes, Path(folder))  # type: ignore[arg-type]
            report = await run_in_threadpool(
                importing.import_activities,
                db,
                actor,
                path,
                format=fields.get("format", "hxl"),
                mapping=document,
                source=fields.get("source") or None,
                strict="strict" in fields,
                dry_run="dry_run" in fields,
                file_name=upload.filename if upload is not None else None,
            )
    except ItineraError as error:
        return _page(request, language, 422, form=fields, problems=problems_of(error))
    shown = report_view(report.as_dict(), csv_name="activity-import-issues.csv")
    return _page(request, language, form=fields, report=shown)
