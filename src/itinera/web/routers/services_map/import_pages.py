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

from typing import Any

from fastapi import APIRouter

from itinera.domain.access import Action, Actor
from itinera.domain.jobs import Job
from itinera.services.services_map import imports
from itinera.services.services_map.import_job import submit_services_import
from itinera.services.services_map.mappings import MAX_MAPPING_BYTES, parse_mapping_document
from itinera.web.upload_pages import AnyReport, UploadedFile, UploadPage, add_upload_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _mapping(upload: UploadedFile) -> Any:
    """A mapping from its own upload, else the name of a saved or packaged one (never a path)."""
    if upload.mapping_document is not None:
        return parse_mapping_document(upload.mapping_document)
    return upload.fields.get("mapping") or None


def _submit(db: Any, actor: Actor, settings: Any, upload: UploadedFile) -> Job:
    return submit_services_import(
        db,
        actor,
        settings,
        upload.path,
        format=upload.fields.get("format", "hxl"),
        mapping=_mapping(upload),
        source=upload.fields.get("source") or None,
        strict="strict" in upload.fields,
        dry_run="dry_run" in upload.fields,
    )


def _import(db: Any, actor: Actor, upload: UploadedFile) -> AnyReport:
    mapping = _mapping(upload)
    return imports.import_services(
        db,
        actor,
        upload.path,
        format=upload.fields.get("format", "hxl"),
        mapping=mapping,
        source=upload.fields.get("source") or None,
        strict="strict" in upload.fields,
        dry_run="dry_run" in upload.fields,
    )


add_upload_page(
    router,
    UploadPage(
        url="/services/import",
        kind="services",
        action=Action.IMPORT_SERVICES,
        forbidden="services/forbidden.html",
        formats=imports.FORMATS,
        csv_name="service-import-issues.csv",
        run=_import,
        submit=_submit,
        gate_context={"what": "import"},
        max_mapping_bytes=MAX_MAPPING_BYTES,
    ),
)
