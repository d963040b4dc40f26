"""Server-rendered pages of the route catalogue: the overview map and one page per route."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from itinera.domain.errors import NotFoundError
from itinera.schemas.routes import route_out
from itinera.services import routes as route_service
from itinera.web.deps import DatabaseDep, LanguageDep
from itinera.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, db: DatabaseDep, language: LanguageDep) -> HTMLResponse:
    routes = route_service.list_routes(db)
    groups = route_service.list_groups(db)
    return render(request, "overview.html", language, routes=routes, groups=groups)


@router.get("/routes/{route_id}", response_class=HTMLResponse)
def route_page(
    request: Request,
    route_id: Annotated[str, Path(max_length=64)],
    db: DatabaseDep,
    language: LanguageDep,
) -> HTMLResponse:
    try:
        detail = route_service.get_route(db, route_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=route_id)
    return render(request, "route.html", language, route=route_out(detail, language))
