"""What every import page shares: the upload saved to a temporary folder, the report shaped
for ``imports/_report.html``, and the upload page rendered from ``imports/upload.html``.

A capability's import page adds its own fields (a ``{kind}/_import_fields.html`` block) and
figures (``{kind}/_import_figures.html``, ``{kind}/_import_details.html``); the form, the
status line, the issues table and the issues CSV are the same for every kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from itinera.domain.errors import ValidationError
from itinera.services.imports import issues_csv
from itinera.web.limits import safe_upload_name
from itinera.web.templating import render

__all__ = [
    "SHOWN_ISSUES",
    "form_fields",
    "receive_upload",
    "render_upload_page",
    "report_view",
    "uploaded_file",
]

SHOWN_ISSUES = 200  # issues listed on a page; the CSV lists them all
CSV_ISSUES = 5000  # issues in a CSV link of a report that left no batch behind


async def receive_upload(upload: UploadFile, limit: int, folder: Path) -> Path:
    """Save the upload under ``folder`` (refusing more than ``limit`` bytes); its path."""
    target = folder / safe_upload_name(upload.filename)
    size = 0
    with target.open("wb") as handle:
        while block := await upload.read(1 << 20):
            size += len(block)
            if size > limit:
                raise ValidationError.single("file", f"the file is larger than {limit:,} bytes")
            handle.write(block)
    return target


def form_fields(form: FormData) -> dict[str, str]:
    """The posted text fields, to show the form again as it was (never the CSRF token)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def uploaded_file(form: FormData, name: str, *, required: bool = False) -> UploadFile | None:
    """The file posted as ``name``, if one was chosen."""
    found = form.get(name)
    if isinstance(found, UploadFile) and found.filename:
        return found
    if required:
        raise ValidationError.single(name, "choose the file to import")
    return None


def report_view(
    report: Mapping[str, Any], *, issues_href: str | None = None, csv_name: str = "issues.csv"
) -> dict[str, Any]:
    """The report (``ImportReport.as_dict()`` or a stored batch) for ``imports/_report.html``:
    the first issues listed, and a link to all of them as CSV (``issues_href`` when the batch
    serves its own, else the CSV itself in the link)."""
    issues = list(report["issues"])
    if issues_href is None and issues:
        text = issues_csv(issues[:CSV_ISSUES])
        issues_href = "data:text/csv;charset=utf-8," + quote(text)
    return {
        **report,
        "issue_count": report.get("issue_count", len(issues)),
        "issues": issues[:SHOWN_ISSUES],
        "issues_href": issues_href,
        "csv_name": csv_name,
    }


def render_upload_page(
    request: Request,
    language: str,
    kind: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """The upload page of ``kind``: its form (filled with ``form``), the ``problems`` of a bad
    request, and the ``report`` of the last import."""
    context.setdefault("form", {})
    context.setdefault("problems", [])
    return render(
        request, f"{kind}/import.html", language, status_code=status_code, kind=kind, **context
    )
