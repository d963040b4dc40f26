"""``/api/field``: protection-risk observations and field notes (C11)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, File, Form, Query, Response, UploadFile, status
from fastapi.responses import JSONResponse

from itinera.domain.access import Action, can
from itinera.schemas.monitoring import FieldNoteIn, RiskObservationIn
from itinera.services.monitoring import analysis, entries, importing, summary
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.imports import receive_upload
from itinera.web.routers.movements.api import csrf_for_cookie_calls

__all__ = ["router"]

router = APIRouter(prefix="/api/field", tags=["field monitoring"])
CSRF = [Depends(csrf_for_cookie_calls)]
RouteQuery = Annotated[str | None, Query(max_length=64, description="route id")]


@router.post("/observations", status_code=status.HTTP_201_CREATED, dependencies=CSRF)
def create_observation(
    body: Annotated[RiskObservationIn, Body()], db: DatabaseDep, actor: ActorDep, response: Response
) -> dict[str, Any]:
    """Record a protection-risk observation. Unknown codes, a missing place, or free text that
    looks like a phone or document number answer 422 naming the field and the reason."""
    new_id = entries.create_observation(db, actor, body.to_domain())
    response.headers["Location"] = f"/api/field/observations?route_id={body.route_id}"
    return {"id": new_id, "route_id": body.route_id}


@router.post("/notes", status_code=status.HTTP_201_CREATED, dependencies=CSRF)
def create_note(
    body: Annotated[FieldNoteIn, Body()], db: DatabaseDep, actor: ActorDep
) -> dict[str, Any]:
    """Record a dated field note (route, place, period, tags, confidentiality)."""
    return {"id": entries.create_note(db, actor, body.to_domain()), "route_id": body.route_id}


@router.get("/observations")
def list_observations(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    route_id: RouteQuery = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    """Observations the caller may read, with counts by type, leg, perpetrator and month. The
    public sees public entries only, persons counts below the threshold (10 for surveys)
    hidden and coordinates rounded to 0.5° cells."""
    exact = can(actor, Action.VIEW_INTERNAL_MONITORING)
    threshold = settings.analytics_suppression_threshold
    found = entries.list_observations(db, actor, route_id, date_from, date_to)
    return {
        "route_id": route_id,
        "exact": exact,
        "threshold": None if exact else threshold,
        "observations": [entries.observation_view(o, exact, threshold) for o in found],
        "counts": {
            by: summary.count_observations(found, by, exact=exact, threshold=threshold)["rows"]
            for by in summary.DIMENSIONS
        },
    }


@router.get("/observations/summary")
def observation_summary(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
    route_id: RouteQuery = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    """Observations counted by route, leg, type, perpetrator and month, suppressed for the
    public like the list (persons below the threshold hidden, 10 for survey-based counts)."""
    return analysis.observation_counts(
        db,
        actor,
        route_id,
        date_from,
        date_to,
        settings.analytics_suppression_threshold,
        language,
    )


@router.get("/observations/points", responses={200: {"content": {"application/geo+json": {}}}})
def observation_points(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
    route_id: RouteQuery = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> JSONResponse:
    """Risk observations with coordinates as GeoJSON points (0.5° cells for the public)."""
    data = analysis.risk_points(
        db, actor, route_id, date_from, date_to, settings.analytics_suppression_threshold, language
    )
    return JSONResponse(data, media_type="application/geo+json")


@router.get("/notes")
def list_notes(
    db: DatabaseDep,
    actor: ActorDep,
    route_id: RouteQuery = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    """Field notes the caller may read (the public: public notes only)."""
    found = entries.list_notes(db, actor, route_id, date_from, date_to)
    return {
        "route_id": route_id,
        "notes": [
            {
                "id": n.id,
                "route_id": n.route_id,
                "date_from": n.date_from.isoformat(),
                "date_to": n.date_to.isoformat(),
                "place": n.place,
                "tags": list(n.tags),
                "text": n.text,
                "confidentiality": n.confidentiality.value,
            }
            for n in found
        ],
    }


@router.get("/vocabularies")
def vocabularies() -> dict[str, Any]:
    """The codes and names (en, fr, ar) the entries use."""
    vocab = entries.vocabularies()
    return {"version": vocab.version, "lists": vocab.lists}


@router.post("/import", dependencies=CSRF)
async def import_observations(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="a survey export, CSV or XLSX")],
    reader: Annotated[Literal["4mi"], Form(description="the column mapping")] = "4mi",
    route_id: Annotated[str | None, Form(max_length=64, description="route of rows without")] = (
        None
    ),
    dry_run: Annotated[bool, Form()] = False,
    strict: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Import risk observations through the import pipeline: the same report, refusals and
    issues (row, column, value, message, suggestion) as every other kind of file."""
    with tempfile.TemporaryDirectory(prefix="itinera-field-") as folder:
        path = await receive_upload(file, settings.max_upload_bytes, FilePath(folder))
        report = importing.import_observations(
            db,
            actor,
            path,
            reader=reader,
            route_id=route_id,
            file_name=file.filename,
            strict=strict,
            dry_run=dry_run,
        )
    return report.as_dict()
