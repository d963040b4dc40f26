"""``/api/routes``: the route catalogue as JSON (C1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response, status

from itinera.domain.errors import ValidationError
from itinera.schemas.routes import (
    LegIn,
    RouteIn,
    RouteOut,
    RouteSummaryOut,
    route_out,
    route_summary_out,
)
from itinera.services.catalogue import routes as route_service
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep

__all__ = ["router"]

router = APIRouter(prefix="/api/routes", tags=["routes"])

RouteId = Annotated[str, Path(description="route id, e.g. central-mediterranean", max_length=64)]


@router.get("", response_model=list[RouteSummaryOut])
def list_routes(db: DatabaseDep, language: LanguageDep) -> list[RouteSummaryOut]:
    """Every route of the catalogue (and those users added)."""
    return [route_summary_out(r, language) for r in route_service.list_routes(db)]


@router.get("/geojson", response_model=dict[str, Any])
def routes_geojson(db: DatabaseDep, language: LanguageDep) -> dict[str, Any]:
    """Every leg of every route as one GeoJSON FeatureCollection (for maps)."""
    return route_service.routes_geojson(db, language)


@router.get(
    "/{route_id}", response_model=RouteOut, responses={404: {"description": "no such route"}}
)
def get_route(route_id: RouteId, db: DatabaseDep, language: LanguageDep) -> RouteOut:
    """One route: legs, countries with roles, group, links and geometry (GeoJSON)."""
    return route_out(route_service.get_route(db, route_id), language)


@router.post(
    "",
    response_model=RouteOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "id taken"}, 422: {"description": "invalid field"}},
)
def create_route(
    body: Annotated[RouteIn, Body()],
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
    response: Response,
) -> RouteOut:
    """Create a route. Unknown countries, places or groups answer 422 naming the field."""
    if body.id is None:
        raise ValidationError.single("id", "a new route needs an id")
    detail = route_service.create_route(db, actor, body.to_domain(body.id))
    response.headers["Location"] = f"/api/routes/{body.id}"
    return route_out(detail, language)


@router.put(
    "/{route_id}",
    response_model=RouteOut,
    responses={404: {"description": "no such route"}, 409: {"description": "stale version"}},
)
def update_route(
    route_id: RouteId,
    body: Annotated[RouteIn, Body()],
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> RouteOut:
    """Replace a route's definition (legs, countries, names…). Send the ``version`` you edited."""
    if body.id is not None and body.id != route_id:
        raise ValidationError.single("id", f"does not match the route in the path ({route_id!r})")
    detail = route_service.update_route(db, actor, route_id, body.to_domain(route_id), body.version)
    return route_out(detail, language)


@router.delete("/{route_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_route(route_id: RouteId, db: DatabaseDep, actor: ActorDep) -> Response:
    """Delete a route a user created (catalogue routes answer 409)."""
    route_service.delete_route(db, actor, route_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


LegPosition = Annotated[int, Path(ge=0, le=10_000, description="0-based position of the leg")]


@router.post("/{route_id}/legs", response_model=RouteOut, status_code=status.HTTP_201_CREATED)
def add_leg(
    route_id: RouteId,
    body: Annotated[LegIn, Body()],
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
    position: Annotated[
        int | None, Query(ge=0, description="insert here; append if absent")
    ] = None,
) -> RouteOut:
    """Add a leg to a route."""
    return route_out(
        route_service.add_leg(db, actor, route_id, body.to_domain(), position), language
    )


@router.put("/{route_id}/legs/{position}", response_model=RouteOut)
def replace_leg(
    route_id: RouteId,
    position: LegPosition,
    body: Annotated[LegIn, Body()],
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> RouteOut:
    """Replace the leg at a position."""
    return route_out(
        route_service.replace_leg(db, actor, route_id, position, body.to_domain()), language
    )


@router.delete("/{route_id}/legs/{position}", response_model=RouteOut)
def remove_leg(
    route_id: RouteId,
    position: LegPosition,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> RouteOut:
    """Remove the leg at a position."""
    return route_out(route_service.remove_leg(db, actor, route_id, position), language)
