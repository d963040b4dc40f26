"""Server-rendered pages of the route catalogue: the overview map and one page per route."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.text import localise
from itinera.schemas.routes import route_out
from itinera.services.analytics.alerts import list_alerts  # C3 dashboard
from itinera.services.analytics.dashboard import KEY_INDICATORS
from itinera.services.analytics.dashboard import overview as analytics_overview
from itinera.services.analytics.route_page import route_dashboard
from itinera.services.catalogue import routes as route_service
from itinera.services.monitoring.summary import route_risk_summary
from itinera.services.tracing.outcomes import outcomes_of_route
from itinera.web.chart_labels import speak_charts
from itinera.web.dashboard_notes import chosen_period, data_as_of
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
    actor: ActorDep,
    settings: SettingsDep,
    from_: Annotated[str | None, Query(alias="from", max_length=7)] = None,
    to: Annotated[str | None, Query(max_length=7)] = None,
) -> HTMLResponse:
    routes = route_service.list_routes(db)
    groups = route_service.list_groups(db)
    threshold = settings.analytics_suppression_threshold
    try:  # C3: flows and key figures of the period the reader chose (a GET form, no script)
        dashboard = analytics_overview(db, actor, threshold, chosen_period(from_, to))
        period_error = False
    except (ValueError, ValidationError):
        dashboard, period_error = analytics_overview(db, actor, threshold), True
    alerts = list_alerts(
        db,
        actor,
        shift_points=settings.analytics_shift_points,
        threshold=threshold,
        language=language,
    )
    return render(
        request,
        "overview.html",
        language,
        routes=routes,
        groups=groups,
        dashboard=dashboard,
        alerts=alerts,
        period_error=period_error,
        **data_as_of(db, actor, KEY_INDICATORS, dashboard["from"], dashboard["to"]),
    )


@router.get("/routes/{route_id}", response_class=HTMLResponse)
def route_page(
    request: Request,
    route_id: Annotated[str, Path(max_length=64)],
    db: DatabaseDep,
    language: LanguageDep,
    actor: ActorDep,
    settings: SettingsDep,
    from_: Annotated[str | None, Query(alias="from", max_length=7)] = None,
    to: Annotated[str | None, Query(max_length=7)] = None,
    indicator: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    try:
        detail = route_service.get_route(db, route_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=route_id)
    analytics = route_dashboard(  # C3: charts, shifts, alerts, sources
        db,
        actor,
        route_id,
        first=from_ or None,
        last=to or None,
        indicator=indicator or None,
        threshold=settings.analytics_suppression_threshold,
        shift_points=settings.analytics_shift_points,
        language=language,
    )
    risks = route_risk_summary(  # C11: risk observations beside the dead and missing
        db,
        actor,
        route_id,
        analytics["from"],
        analytics["to"],
        settings.analytics_suppression_threshold,
        language,
    )
    tracing = outcomes_of_route(db, actor, route_id, settings.analytics_suppression_threshold)
    route_names = {r.id: localise(r.name, language) for r in route_service.list_routes(db)}
    analytics["charts"] = speak_charts(analytics["charts"], language, route_names)
    return render(
        request,
        "route.html",
        language,
        route=route_out(detail, language),
        analytics=analytics,
        risks=risks,
        tracing_outcomes=tracing,  # C10: closed tracing requests, anonymised
        route_names=route_names,
        **data_as_of(
            db,
            actor,
            (analytics["indicator"], "dead_and_missing"),
            analytics["from"],
            analytics["to"],
            route_id,
        ),
    )
