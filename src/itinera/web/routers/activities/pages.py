"""Server-rendered pages of activities by pillar (C6): a route's gap matrix for a year, the
monitoring plan and a page per indicator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from itinera.domain.errors import NotFoundError
from itinera.services.activities import gaps, monitoring
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/routes/{route_id}/gaps", response_class=HTMLResponse)
def gap_matrix_page(
    request: Request,
    route_id: Annotated[str, Path(max_length=64)],
    db: DatabaseDep,
    language: LanguageDep,
    actor: ActorDep,
    settings: SettingsDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> HTMLResponse:
    chosen = year or gaps.default_year(db)
    try:
        page = gaps.gap_page(
            db,
            actor,
            route_id,
            chosen,
            language,
            threshold=settings.analytics_suppression_threshold,
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=route_id)
    return render(request, "activities/gaps.html", language, route_id=route_id, **page)


@router.get("/activities/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
    actor: ActorDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> HTMLResponse:
    chosen = year or gaps.default_year(db)
    rows = [
        (i, monitoring.progress(db, actor, i.code, chosen))
        for i in monitoring.list_indicators(db, actor)
    ]
    return render(request, "activities/plan.html", language, year=chosen, rows=rows)


@router.get("/activities/indicators/{code}", response_class=HTMLResponse)
def indicator_page(
    request: Request,
    code: Annotated[str, Path(max_length=64)],
    db: DatabaseDep,
    language: LanguageDep,
    actor: ActorDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> HTMLResponse:
    chosen = year or gaps.default_year(db)
    try:
        done = monitoring.progress(db, actor, code, chosen)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=code)
    return render(request, "activities/indicator.html", language, year=chosen, progress=done)
