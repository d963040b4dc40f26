"""Importing an activity file from the pages (C6): ``/activities/import``.

Upload an HXL 3W/4W (1.x or the tags of 2014) or a table with a column mapping (a shipped
mapping's name such as ``activityinfo``, or a YAML upload), then read the shared report of
``web/imports.py``: rows read and refused, activities added and updated, organisations before
and after resolution, every issue downloadable as CSV. Needs a user allowed to import
activities and the CSRF token; calls the same service as ``POST /api/activities/import`` and
``itinera activities import``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from itinera.domain.access import Action, Actor
from itinera.services.activities import importing
from itinera.web.upload_pages import AnyReport, UploadedFile, UploadPage, add_upload_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _import(db: Any, actor: Actor, upload: UploadedFile) -> AnyReport:
    """A mapping from its own upload, else a shipped mapping by name (never a path)."""
    document = None
    if upload.mapping_document is not None:
        document = importing.load_mapping(upload.mapping_document)
    elif upload.fields.get("mapping"):
        document = importing.load_mapping(name=upload.fields["mapping"])
    return importing.import_activities(
        db,
        actor,
        upload.path,
        format=upload.fields.get("format", "hxl"),
        mapping=document,
        source=upload.fields.get("source") or None,
        strict="strict" in upload.fields,
        dry_run="dry_run" in upload.fields,
        file_name=upload.file_name,
    )


add_upload_page(
    router,
    UploadPage(
        url="/activities/import",
        kind="activities",
        action=Action.IMPORT_ACTIVITIES,
        forbidden="activities/forbidden.html",
        formats=importing.FORMATS,
        csv_name="activity-import-issues.csv",
        run=_import,
        max_mapping_bytes=64 * 1024,
    ),
)
