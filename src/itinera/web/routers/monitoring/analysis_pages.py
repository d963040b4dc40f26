"""``/field/analysis``: risk observations counted by route, leg, type, perpetrator and month,
with the route's map of risks (C11). Open to every reader: the public sees public entries
only, suppressed as the API answers the public."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from itinera.domain.text import localise
from itinera.services.catalogue import routes as route_service
from itinera.services.monitoring import analysis
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/field/analysis", response_class=HTMLResponse, response_model=None)
def field_analysis_page(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
    route_id: Annotated[str | None, Query(max_length=64)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    routes = {r.id: localise(r.name, language) for r in route_service.list_routes(db)}
    if route_id not in routes:
        route_id = None
    summary = analysis.observation_counts(
        db,
        actor,
        route_id,
        date_from,
        date_to,
        settings.analytics_suppression_threshold,
        language,
    )
    legs: dict[str, str] = {}
    if route_id is not None:
        detail = route_service.get_route(db, route_id)
        places = {pid: localise(p.name, language) for pid, p in detail.places.items()}
        legs = {
            str(i): f"{i + 1}. {places.get(leg.from_place, leg.from_place)} → "
            f"{places.get(leg.to_place, leg.to_place)}"
            for i, leg in enumerate(detail.route.legs)
        }
    return render(
        request,
        "field/analysis.html",
        language,
        summary=summary,
        routes=sorted(routes.items(), key=lambda item: item[1]),
        route_names=routes,
        route_id=route_id,
        legs=legs,
        date_from=date_from.isoformat() if date_from else "",
        date_to=date_to.isoformat() if date_to else "",
    )
