"""The upload page of every kind of file: the form, the checks, the import, the shared report.

A capability describes its page with :class:`UploadPage` (its URL, who may import, its reader
formats and a ``run`` that calls its import service) and :func:`add_upload_page` adds the GET and
POST routes: the permission gate (login redirect or a 403 page), the CSRF check, the upload
streamed to a temporary folder within ``ITINERA_MAX_UPLOAD_BYTES``, a mapping document read
from its own upload (bounded), and errors shown on the form in the reader's language.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from itinera.domain.access import Action, Actor
from itinera.domain.errors import ItineraError
from itinera.domain.jobs import Job
from itinera.services import jobs
from itinera.services.imports.jobs import import_report
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.imports import (
    form_fields,
    receive_upload,
    render_upload_page,
    report_view,
    uploaded_file,
)
from itinera.web.page_access import checked_form, page_gate, problems_of

__all__ = ["AnyReport", "UploadPage", "UploadedFile", "add_upload_page"]


class AnyReport(Protocol):
    def as_dict(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class UploadedFile:
    """What the form brought: the saved file, the other fields, an uploaded mapping's bytes."""

    path: Path
    fields: Mapping[str, str]
    mapping_document: bytes | None
    file_name: str | None


@dataclass(frozen=True)
class UploadPage:
    url: str  # e.g. "/services/import"
    kind: str  # the upload template's kind ("services", "activities" …)
    action: Action  # who may import
    forbidden: str  # the template shown to a logged-in user without the permission
    formats: Sequence[str]
    csv_name: str  # the issues CSV's download name
    run: Callable[[Any, Actor, UploadedFile], AnyReport]  # (database, actor, upload) -> report
    gate_context: Mapping[str, object] = field(default_factory=dict)
    max_mapping_bytes: int = 256 * 1024
    default_format: str = "hxl"
    # Queue the import as a job instead of calling ``run`` (issue 10): the page waits for it
    # without holding the server, and the job is listed, resumable and cancellable.
    submit: Callable[[Any, Actor, Any, UploadedFile], Job] | None = None


def add_upload_page(router: APIRouter, page: UploadPage) -> None:
    """The GET (form) and POST (import, then the report) routes of ``page`` on ``router``."""

    def gate(request: Request, actor: Actor, language: str) -> Response | None:
        return page_gate(request, actor, language, page.action, page.forbidden, **page.gate_context)

    def show(request: Request, language: str, status_code: int = 200, **context: Any) -> Response:
        context.setdefault("form", {"format": page.default_format})
        return render_upload_page(
            request, language, page.kind, status_code=status_code, formats=page.formats, **context
        )

    async def run(
        request: Request, db: Any, actor: Actor, settings: Any, language: str, form: FormData
    ) -> Response:
        fields = form_fields(form)
        try:
            upload = uploaded_file(form, "file", required=True)
            mapping_file = uploaded_file(form, "mapping_file")
            document = None
            if mapping_file is not None:
                document = await mapping_file.read(page.max_mapping_bytes + 1)
            with tempfile.TemporaryDirectory(prefix=f"itinera-{page.kind}-") as folder:
                limit = settings.max_upload_bytes
                path = await receive_upload(upload, limit, Path(folder))  # type: ignore[arg-type]
                name = upload.filename if upload is not None else None
                uploaded = UploadedFile(path, fields, document, name)
                answer = await _import(page, db, actor, settings, uploaded)
        except ItineraError as error:
            return show(request, language, 422, form=fields, problems=problems_of(error))
        shown = report_view(answer, csv_name=page.csv_name)
        return show(request, language, form=fields, report=shown)

    @router.get(page.url, response_class=HTMLResponse, response_model=None)
    def upload_form(request: Request, actor: ActorDep, language: LanguageDep) -> Response:
        return gate(request, actor, language) or show(request, language)

    @router.post(page.url, response_model=None)
    async def upload_and_import(
        request: Request,
        db: DatabaseDep,
        actor: ActorDep,
        settings: SettingsDep,
        language: LanguageDep,
    ) -> Response:
        if (refused := gate(request, actor, language)) is not None:
            return refused
        return await checked_form(
            request, lambda form: run(request, db, actor, settings, language, form)
        )


async def _import(
    page: UploadPage, db: Any, actor: Actor, settings: Any, uploaded: UploadedFile
) -> Mapping[str, Any]:
    """The import report, from a job when the page queues one, else from ``run``."""
    if page.submit is None:
        return (await run_in_threadpool(page.run, db, actor, uploaded)).as_dict()
    job = await run_in_threadpool(page.submit, db, actor, settings, uploaded)
    return import_report(await jobs.wait_for_job_async(db, actor, job.id))
