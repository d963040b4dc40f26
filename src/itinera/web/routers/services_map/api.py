"""``/api/services``: service points along routes (C5) as JSON."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, File, Form, Path, Query, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from itinera.domain.errors import ValidationError
from itinera.schemas import MAX_DATABASE_INT
from itinera.schemas.jobs import JobOut
from itinera.schemas.services_map import (
    ServicePointIn,
    ServicePointOut,
    complementarity_out,
    point_out,
    siting_out,
)
from itinera.services import jobs
from itinera.services.imports.jobs import import_report
from itinera.services.services_map import analysis, exports, registry, sectors
from itinera.services.services_map.import_job import submit_services_import
from itinera.services.services_map.mappings import parse_mapping_document
from itinera.services.services_map.siting_job import submit_siting
from itinera.web.deps import ActorDep, DatabaseDep, SettingsDep
from itinera.web.imports import receive_upload
from itinera.web.jobs import accepted
from itinera.web.media import HXL_OR_JSON_ANSWER
from itinera.web.routers.movements.api import csrf_for_cookie_calls

__all__ = ["FilterDep", "point_listings", "router"]

router = APIRouter(prefix="/api/services", tags=["services"])
# a call authenticated by the session cookie (a browser) must carry the CSRF token
CSRF = [Depends(csrf_for_cookie_calls)]

RouteId = Annotated[str, Path(max_length=64, description="route id, e.g. central-mediterranean")]
PointId = Annotated[int, Path(ge=1, le=MAX_DATABASE_INT)]


def service_filter(
    type: Annotated[str | None, Query(description="service-type code")] = None,
    kind: Annotated[str | None, Query(description="point kind, e.g. multi-purpose-hub")] = None,
    organisation: Annotated[
        str | None, Query(pattern=r"^\d*$", description="organisation id")
    ] = None,
    language: Annotated[
        str | None, Query(description="ISO 639-1 code of a language spoken")
    ] = None,
    status: Annotated[str | None, Query(description="planned, active, suspended or closed")] = None,
    country: Annotated[str | None, Query(description="ISO alpha-3")] = None,
    route: Annotated[str | None, Query(description="only points near this route")] = None,
    q: Annotated[str | None, Query(max_length=200, description="full-text search")] = None,
) -> registry.ServiceFilter:
    blank = {
        k: (v or None)
        for k, v in dict(
            type=type,
            kind=kind,
            language=language,
            status=status,
            country=country,
            route=route,
            q=q,
        ).items()
    }
    return registry.ServiceFilter(
        blank["type"],
        blank["kind"],
        int(organisation) if organisation else None,
        blank["language"],
        blank["status"],
        blank["country"],
        blank["route"],
        blank["q"],
    )


FilterDep = Annotated[registry.ServiceFilter, Depends(service_filter)]


def point_listings(
    db: Any, actor: Any, settings: Any, wanted: registry.ServiceFilter
) -> list[registry.Listing]:
    near = analysis.points_near_route(db, wanted.route_id) if wanted.route_id else None
    return registry.list_points(
        db, actor, wanted, stale_after_days=settings.services_stale_after_days, near_route=near
    )


@router.get("", response_model=list[ServicePointOut])
def list_points(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    wanted: FilterDep,
    near: Annotated[
        str | None,
        Query(max_length=200, description="the nearest active points to a place, by any name"),
    ] = None,
) -> list[ServicePointOut]:
    """Service points matching every filter given (stale ones are flagged); with ``near``, the
    nearest active points to that place offering ``type`` instead, nearest first."""
    if near:
        lat, lon = registry.resolve_place(db, near)
        found = registry.near(
            db,
            actor,
            lat,
            lon,
            service_type=wanted.service_type,
            limit=20,
            stale_after_days=settings.services_stale_after_days,
        )
        return [point_out(i) for i in found]
    return [point_out(i) for i in point_listings(db, actor, settings, wanted)]


@router.get("/geojson", response_model=dict[str, Any])
def points_geojson(
    db: DatabaseDep, actor: ActorDep, settings: SettingsDep, wanted: FilterDep
) -> dict[str, Any]:
    """The same points as a GeoJSON FeatureCollection (for the map)."""
    return exports.to_geojson(point_listings(db, actor, settings, wanted))


@router.get("/near", response_model=list[ServicePointOut])
def near(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    place: Annotated[
        str | None, Query(max_length=200, description="a place name instead of lat/lon")
    ] = None,
    type: Annotated[str | None, Query(description="service-type code")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[ServicePointOut]:
    """The nearest active points offering a service to a coordinate or place, with distance."""
    if place:
        lat, lon = registry.resolve_place(db, place)
    if lat is None or lon is None:
        raise ValidationError.single("lat", "give lat and lon, or place")
    found = registry.near(
        db,
        actor,
        lat,
        lon,
        service_type=type,
        limit=limit,
        stale_after_days=settings.services_stale_after_days,
    )
    return [point_out(i) for i in found]


@router.get("/points/{point_id}", response_model=ServicePointOut)
def get_point(
    point_id: PointId, db: DatabaseDep, actor: ActorDep, settings: SettingsDep
) -> ServicePointOut:
    return point_out(
        registry.get_point(db, actor, point_id, stale_after_days=settings.services_stale_after_days)
    )


@router.post(
    "/points",
    response_model=ServicePointOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=CSRF,
)
def create_point(
    body: Annotated[ServicePointIn, Body()],
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    response: Response,
) -> ServicePointOut:
    """Register a point. Bad coordinates, unknown service types, opening hours in a wrong shape
    answer 422 naming the field."""
    point_id = registry.create_point(db, actor, body.to_domain())
    response.headers["Location"] = f"/api/services/points/{point_id}"
    return point_out(
        registry.get_point(db, actor, point_id, stale_after_days=settings.services_stale_after_days)
    )


@router.put("/points/{point_id}", response_model=ServicePointOut, dependencies=CSRF)
def update_point(
    point_id: PointId,
    body: Annotated[ServicePointIn, Body()],
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
) -> ServicePointOut:
    """Replace a point's details; send the ``version`` you edited (stale → 409)."""
    registry.update_point(db, actor, point_id, body.to_domain(), body.version)
    return point_out(
        registry.get_point(db, actor, point_id, stale_after_days=settings.services_stale_after_days)
    )


@router.delete("/points/{point_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=CSRF)
def delete_point(point_id: PointId, db: DatabaseDep, actor: ActorDep) -> Response:
    registry.delete_point(db, actor, point_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/import",
    response_model=None,
    status_code=202,
    dependencies=CSRF,
    responses={
        200: {"description": "with `wait=true`: the import report"},
        202: {"model": JobOut, "description": "the queued import job (see `Location`)"},
    },
)
async def import_file(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="HXL CSV/XLSX, HSDS JSON or a table")],
    format: Annotated[Literal["hxl", "hsds", "table"], Form()] = "hxl",
    mapping: Annotated[
        str | None, Form(description="saved mapping name, or the mapping as JSON")
    ] = None,
    dry_run: Annotated[bool, Form()] = False,
    strict: Annotated[bool, Form()] = False,
    wait: Annotated[
        bool, Query(description="answer the import report when the job ends, not the job")
    ] = False,
) -> Response:
    """Queue the import of a service list (all or nothing under ``strict``; re-imports change
    nothing): 202 with the job to poll (`result.report` is the report), or with `wait=true`
    the report itself."""
    document = parse_mapping_document(mapping) if mapping and mapping.lstrip()[:1] == "{" else None
    with tempfile.TemporaryDirectory(prefix="itinera-services-") as folder:
        path = await receive_upload(file, settings.max_upload_bytes, FilePath(folder))
        job = await run_in_threadpool(
            submit_services_import,
            db,
            actor,
            settings,
            path,
            format=format,
            mapping=document if document is not None else mapping,
            dry_run=dry_run,
            strict=strict,
        )
    if not wait:
        return accepted(job)
    return JSONResponse(import_report(await jobs.wait_for_job_async(db, actor, job.id)))


@router.get("/export", responses=HXL_OR_JSON_ANSWER)
def export(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    wanted: FilterDep,
    format: Annotated[Literal["hxl", "geojson", "hsds"], Query()] = "hxl",
) -> Response:
    """The registry as HXL CSV, GeoJSON or Open Referral HSDS 3.0 JSON."""
    found = point_listings(db, actor, settings, wanted)
    if format == "hxl":
        return Response(
            exports.to_hxl_csv(found),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="service-points.hxl.csv"'},
        )
    data = exports.to_geojson(found) if format == "geojson" else exports.to_hsds(found)
    return Response(
        json.dumps(data, ensure_ascii=False, default=str), media_type="application/json"
    )


@router.get("/routes/{route_id}/gaps", response_model=dict[str, Any])
def gaps(
    route_id: RouteId,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    service_types: Annotated[list[str] | None, Query(description="limit to these types")] = None,
) -> dict[str, Any]:
    """Coverage per service type (share of length and of demand), gaps, duplicates."""
    return complementarity_out(
        analysis.route_complementarity(db, actor, route_id, settings, service_types)
    )


@router.get(
    "/routes/{route_id}/siting",
    response_model=dict[str, Any],
    responses={202: {"model": JobOut, "description": "with `wait=false`: the siting job"}},
)
def siting(
    route_id: RouteId,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    k: Annotated[int, Query(ge=1, le=100)] = 5,
    service_types: Annotated[list[str] | None, Query()] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=1000)] = None,
    time_limit_s: Annotated[float, Query(gt=0, le=120)] = 30.0,
    wait: Annotated[
        bool,
        Query(description="false: answer 202 with a job whose result.siting is the report"),
    ] = True,
) -> Any:
    """k new hub sites maximising newly covered demand: exact (OR-Tools, with gap) vs greedy."""
    types = [t for item in service_types or [] for t in item.split(",") if t] or None
    if not wait:
        job = submit_siting(
            db,
            actor,
            settings,
            [route_id],
            k,
            service_types=types,
            radius_km=radius_km,
            time_limit_s=time_limit_s,
        )
        return accepted(job)
    report = analysis.site_hubs(
        db,
        actor,
        [route_id],
        k,
        settings,
        service_types=types,
        radius_km=radius_km,
        time_limit_s=time_limit_s,
    )
    return siting_out(report)


@router.get("/sectors", response_model=list[dict[str, Any]])
def list_sectors(db: DatabaseDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The sector → service-type table used by 3W imports."""
    return sectors.list_sectors(db, actor)


@router.put("/sectors", response_model=dict[str, str], dependencies=CSRF)
def set_sector(
    db: DatabaseDep,
    actor: ActorDep,
    sector: Annotated[str, Body(max_length=200)],
    service_type: Annotated[str | None, Body(description="null: no service meaning")] = None,
) -> dict[str, str]:
    return {"sector": sector, "outcome": sectors.set_sector(db, actor, sector, service_type)}
