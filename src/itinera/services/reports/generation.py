"""Produce a route report, or serve it from the store (C4).

A report is kept with its parameters and the freshness token of the data behind it (the
analytics cube, the route, service points, activities and field-monitoring entries), so the
same request is served from the stored file until any of them changes. Rendering runs through a
:class:`ReportRunner`: :class:`RenderNow` renders in the caller's thread; a report job
(``report_job.py``) renders in a worker and reports its progress.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from itinera.config import Settings
from itinera.domain.access import Actor
from itinera.reports.document import render_html, render_pdf
from itinera.services.reports.content import ReportRequest, assemble, edition_reader
from itinera.services.reports.freshness import freshness_token
from itinera.services.reports.labels import report_labels
from itinera.storage.database import Database
from itinera.storage.reports.report_repository import ReportFileRepository

__all__ = [
    "RenderNow",
    "ReportFile",
    "ReportRunner",
    "freshness_token",
    "produce_report",
    "render_report",
    "stored_report",
]

log = logging.getLogger(__name__)
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class ReportFile:
    media_type: str
    content: bytes
    filename: str
    from_store: bool


class ReportRunner(Protocol):
    """Runs the rendering of one report (the seam for the job queue)."""

    def run(self, render: Callable[[], bytes]) -> bytes: ...


class RenderNow:
    def run(self, render: Callable[[], bytes]) -> bytes:
        return render()


def _filename(request: ReportRequest) -> str:
    return (
        f"{request.route_id}-{request.first}-{request.last}-{request.edition}-"
        f"{request.language}.{request.format}"
    )


def produce_report(
    db: Database,
    actor: Actor,
    request: ReportRequest,
    settings: Settings,
    runner: ReportRunner | None = None,
) -> ReportFile:
    stored, (parameters, token, key) = _stored(db, actor, request, settings)
    if stored is not None:
        return stored
    media_type = MEDIA_TYPES[request.format]

    def render() -> bytes:
        return render_report(db, actor, request, settings, token)

    data = (runner or RenderNow()).run(render)
    with db.transaction(write=True) as session:
        ReportFileRepository(session).keep(
            key, request.route_id, parameters, token, media_type, data
        )
    log.info("report rendered: %s", _filename(request))
    return ReportFile(media_type, data, _filename(request), False)


def stored_report(
    db: Database, actor: Actor, request: ReportRequest, settings: Settings
) -> ReportFile | None:
    """The report as stored for the current data, None when it must be rendered first."""
    return _stored(db, actor, request, settings)[0]


def _stored(
    db: Database, actor: Actor, request: ReportRequest, settings: Settings
) -> tuple[ReportFile | None, tuple[str, str, str]]:
    request.check()
    edition_reader(actor, request.edition)  # permission first: a stored file is no bypass
    token = freshness_token(db)
    parameters = json.dumps(asdict(request), sort_keys=True)
    # The suppression threshold and the alerts' shift rule change the figures too.
    rules = f"{settings.analytics_suppression_threshold}|{settings.analytics_shift_points}"
    key = hashlib.sha256(f"{parameters}|{token}|{rules}".encode()).hexdigest()
    with db.transaction() as session:
        found = ReportFileRepository(session).find(key)
    stored = None if found is None else ReportFile(found[0], found[1], _filename(request), True)
    return stored, (parameters, token, key)


def render_report(
    db: Database, actor: Actor, request: ReportRequest, settings: Settings, token: str
) -> bytes:
    """Assemble and render one report (what a runner runs; the benchmark times it too)."""
    content = assemble(
        db,
        actor,
        request,
        threshold=settings.analytics_suppression_threshold,
        shift_points=settings.analytics_shift_points,
        settings=settings,
    )
    provenance = _provenance(content, request, token)
    labels = report_labels(db, request.route_id, request.language)
    html = render_html(content, labels, provenance)
    if request.format == "html":
        return html.encode("utf-8")
    return render_pdf(html, content, provenance)


def _provenance(content: dict[str, Any], request: ReportRequest, token: str) -> dict[str, Any]:
    return {
        "parameters": asdict(request),
        "generated": datetime.now(UTC).date().isoformat(),
        "token": token,
        "edition": content["edition"],
        "threshold": content["threshold"],
        "batches": content["batches"],
        "sources": json.loads(json.dumps(content["sources"], default=str)),
        "monitoring_entries": {
            "observations": len(content["observations"]),
            "notes": len(content["notes"]),
        },
    }
