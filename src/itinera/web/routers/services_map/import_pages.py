"""Importing a service list from the pages (C5): ``/services/import``.

Upload an HXL 3W/4W or service-directory CSV/XLSX, an Open Referral HSDS 3.0 JSON, or a table
with its column mapping (a YAML upload or the name of a saved or packaged mapping), then read
the report: rows read, points added/updated/unchanged, sectors with no service meaning, and
every issue with file, row and field, downloadable as CSV (the shared import page and report
of ``web/imports.py``). Needs a logged-in user allowed to
import services (``Action.IMPORT_SERVICES``) and the CSRF token; calls the same service as
``POST /api/services/import`` and ``itinera services import``.
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
from itinera.services.services_map import imports
from itinera.services.services_map.mappings import MAX_MAPPING_BYTES, parse_mapping_document
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


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request, actor, language, Action.IMPORT_SERVICES, "services/forbidden.html", what="import"
    )


def _page(request: Request, language: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("form", {"format": "hxl"})
    return render_upload_page(
        request,
        language,
        "services",
        status_code=status_code,
        formats=imports.FORMATS,
        **context,
    )


@router.get("/services/import", response_class=HTMLResponse, response_model=None)
def import_page(request: Request, actor: ActorDep, language: LanguageDep) -> Response:
    return _gate(request, actor, language) or _page(request, language)


@router.post("/services/import", response_model=None)
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
        with tempfile.TemporaryDirectory(prefix="itinera-services-") as folder:
            limit = settings.max_upload_bytes
            path = await receive_upload(upload, limit, Path(folder))  # type: ignore[arg-type]
            mapping = fields.get("mapping") or None
            document = None
            if mapping_file is not None:
                text = await mapping_file.read(MAX_MAPPING_BYTES + 1)
                document = parse_mapping_document(text)
            report = await run_in_threadpool(
                imports.import_services,
                db,
                actor,
                path,
                format=fields.get("format", "hxl"),
                mapping=document if document is not None else mapping,
                source=fields.get("source") or None,
                strict="strict" in fields,
                dry_run="dry_run" in fields,
            )
    except ItineraError as error:
        return _page(request, language, 422, form=fields, problems=problems_of(error))
    shown = report_view(report.as_dict(), csv_name="service-import-issues.csv")
    return _page(request, language, form=fields, report=shown)
