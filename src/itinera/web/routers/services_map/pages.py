"""Pages of service mapping (C5): the map and directory, a point's panel, a route's
complementarity with the proposed hub sites."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from itinera.domain.access import Action, can
from itinera.domain.errors import ItineraError, NotFoundError
from itinera.domain.service_point import PointKind, PointStatus
from itinera.schemas import MAX_DATABASE_INT
from itinera.schemas.services_map import complementarity_out, siting_out
from itinera.services.accounts.users import list_organisations
from itinera.services.activities import places
from itinera.services.catalogue import routes as route_service
from itinera.services.services_map import analysis, registry
from itinera.services.services_map.registry import Listing
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.routers.services_map.api import FilterDep, point_listings
from itinera.web.templating import render

__all__ = ["form_choices", "router"]

router = APIRouter(include_in_schema=False)


def form_choices(db: DatabaseDep) -> dict[str, Any]:
    choices = registry.point_choices(db)
    return {
        "service_types": choices.service_types,
        "organisations": choices.organisations,
        "kinds": list(PointKind),
        "statuses": list(PointStatus),
        "routes": route_service.list_routes(db),
    }


DIRECTORY_PAGE = 25  # service cards per page: a phone scrolls a page, not 500 rows


@router.get("/services", response_class=HTMLResponse)
def services_map(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
    wanted: FilterDep,
    near_place: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    listings: list[Listing] = []
    problem = None
    try:
        if near_place:
            lat, lon = registry.resolve_place(db, near_place)
            listings = registry.near(
                db,
                actor,
                lat,
                lon,
                service_type=wanted.service_type,
                limit=20,
                stale_after_days=settings.services_stale_after_days,
            )
        else:
            listings = point_listings(db, actor, settings, wanted)
    except ItineraError as error:
        problem = error.message
    query = {
        k: v
        for k, v in request.query_params.items()
        if k not in ("lang", "near_place", "page") and v
    }
    return render(
        request,
        "services_map.html",
        language,
        listings=listings,
        wanted=wanted,
        problem=problem,
        near_place=near_place or "",
        page=page,
        page_size=DIRECTORY_PAGE,
        geojson_url="/api/services/geojson?" + urlencode(query),
        can_edit=can(actor, Action.EDIT_SERVICES),
        can_import=can(actor, Action.IMPORT_SERVICES),
        **form_choices(db),
    )


@router.get("/services/points/{point_id}", response_class=HTMLResponse)
def point_page(
    request: Request,
    point_id: Annotated[int, Path(ge=1, le=MAX_DATABASE_INT)],
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
) -> HTMLResponse:
    try:
        item = registry.get_point(
            db, actor, point_id, stale_after_days=settings.services_stale_after_days
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(point_id))
    can_edit = can(actor, Action.EDIT_SERVICES)
    here = []
    if can(actor, Action.VIEW_ACTIVITIES):  # C6: the activities delivered at this point
        here = places.activities_at_point(
            db,
            actor,
            point_id,
            radius_km=settings.services_duplicate_radius_km,
            stale_after_days=settings.services_stale_after_days,
        )
    return render(
        request,
        "service_point.html",
        language,
        item=item,
        can_edit=can_edit,
        activities_here=here,
        duplicated_here=places.duplicated_at_point(here),
        organisation_names={o.id: o.name for o in list_organisations(db)} if here else {},
        **form_choices(db),
    )


@router.get("/services/routes/{route_id}", response_class=HTMLResponse)
def route_page(
    request: Request,
    route_id: Annotated[str, Path(max_length=64)],
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
    k: Annotated[int | None, Query(ge=1, le=20)] = None,
    service_types: Annotated[list[str] | None, Query()] = None,
) -> HTMLResponse:
    try:
        result = complementarity_out(analysis.route_complementarity(db, actor, route_id, settings))
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=route_id)
    siting = None
    problem = None
    if k:
        types = [t for t in service_types or [] if t] or None
        try:
            siting = siting_out(
                analysis.site_hubs(
                    db, actor, [route_id], k, settings, service_types=types, time_limit_s=30.0
                )
            )
        except ItineraError as error:
            problem = error.message
    return render(
        request,
        "services_route.html",
        language,
        result=result,
        siting=siting,
        problem=problem,
        k=k or 3,
        chosen_types=service_types or [],
        **form_choices(db),
    )
