"""Analytics API (C3): route series, mortality and alerts, as JSON or CSV; ``/api/health``.

Series, mortality and overview answers are cached per freshness token (``cache.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from itinera.services.analytics import alerts as alert_service
from itinera.services.analytics import dashboard as dashboard_service
from itinera.services.analytics import linked as linked_service
from itinera.services.analytics import points as point_service
from itinera.services.analytics import series as series_service
from itinera.services.analytics.tables import (
    Table,
    alerts_table,
    mortality_table,
    series_table,
    to_csv,
)
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep, SettingsDep
from itinera.web.media import CSV_OR_JSON_ANSWER, GEOJSON_ANSWER
from itinera.web.routers.analytics.answers import answer, in_front
from itinera.web.routers.analytics.lean import lean_mortality, lean_overview, lean_series

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["analytics"])

RouteId = Annotated[str, Path(max_length=64)]
MonthParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]
FormatParam = Annotated[
    Literal["json", "csv"] | None, Query(description="csv, or send Accept: text/csv")
]


def _wants_csv(request: Request, format_: str | None) -> bool:
    if format_ is not None:
        return format_ == "csv"
    return "text/csv" in request.headers.get("accept", "")


def _answer(
    request: Request, format_: str | None, data: Any, table: Callable[[], Table], name: str
) -> Response:
    """JSON, or CSV of ``table()`` (built only when CSV is asked for: a new question answered
    as JSON does not flatten its figures for nothing)."""
    if _wants_csv(request, format_):
        return Response(
            to_csv(table()),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return JSONResponse(data)


@router.get("/routes/{route_id}/series", responses=CSV_OR_JSON_ANSWER)
async def series(
    request: Request,
    route_id: RouteId,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    indicator: Annotated[str, Query(max_length=40, description="indicator code")],
    from_: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}-\d{2}$")] = None,
    to: MonthParam = None,
    by: Annotated[Literal["nationality", "sex", "age_group", "country"] | None, Query()] = None,
    top: Annotated[int | None, Query(ge=1, le=200)] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3: one country")
    ] = None,
    format: FormatParam = None,
) -> Response:
    """Monthly figures of one indicator on one route, with roll-ups, changes and sources; with
    ``country``, the figures recorded for that country on the route only. Without the
    exact-figures permission, counts below the threshold are suppressed."""
    threshold = settings.analytics_suppression_threshold

    def build() -> Response:
        data = series_service.route_series(
            db, actor, route_id, indicator, from_, to, by, top, threshold=threshold, country=country
        )
        name = f"{route_id}-{indicator}" + (f"-{country.upper()}" if country else "")
        return _answer(request, format, data, lambda: series_table(data), name)

    return await answer(request, db, actor, threshold, build)


@router.get("/routes/{route_id}/mortality", responses=CSV_OR_JSON_ANSWER)
async def mortality(
    request: Request,
    route_id: RouteId,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    from_: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}-\d{2}$")] = None,
    to: MonthParam = None,
    format: FormatParam = None,
) -> Response:
    """(dead + missing) / (arrivals + dead + missing) per month and over the period; null
    where arrivals are unknown."""
    threshold = settings.analytics_suppression_threshold

    def build() -> Response:
        data = series_service.route_mortality(db, actor, route_id, from_, to, threshold=threshold)
        return _answer(
            request, format, data, lambda: mortality_table(data), f"{route_id}-mortality"
        )

    return await answer(request, db, actor, threshold, build)


@router.get("/routes/{route_id}/linked")
def linked(
    route_id: RouteId,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
    indicator: Annotated[str | None, Query(max_length=40, description="indicator code")] = None,
    from_: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}-\d{2}$")] = None,
    to: MonthParam = None,
) -> dict[str, Any]:
    """The routes linked to this one (catalogue links and its group) and the correlation of
    their month-on-month changes with this route's over the period (default: 36 months)."""
    return linked_service.linked_routes(
        db,
        actor,
        route_id,
        indicator,
        from_,
        to,
        threshold=settings.analytics_suppression_threshold,
        language=language,
    )


@router.get("/alerts", responses=CSV_OR_JSON_ANSWER)
def alerts(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    language: LanguageDep,
    route: Annotated[str | None, Query(max_length=64)] = None,
    months: Annotated[int, Query(ge=1, le=240)] = 12,
    format: FormatParam = None,
) -> Response:
    """Early-warning and shift alerts of the last ``months`` months with data."""
    data = alert_service.list_alerts(
        db,
        actor,
        route_id=route,
        months=months,
        shift_points=settings.analytics_shift_points,
        threshold=settings.analytics_suppression_threshold,
        language=language,
    )
    return _answer(request, format, {"alerts": data}, lambda: alerts_table(data), "alerts")


@router.get("/analytics/overview")
async def overview(
    request: Request, db: DatabaseDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """Per route: the latest month's flow and the last 12 months' arrivals, detections, dead
    and missing and mortality rate (suppressed for the public)."""
    threshold = settings.analytics_suppression_threshold

    def build() -> Response:
        return JSONResponse(dashboard_service.overview(db, actor, threshold))

    return await answer(request, db, actor, threshold, build)


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: answers ``{"status": "ok"}`` without touching the database (the trivial
    endpoint of the load benchmark)."""
    return {"status": "ok"}


@router.get("/incidents/points", responses=GEOJSON_ANSWER)
def points(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    from_: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}-\d{2}$")] = None,
    to: MonthParam = None,
    route: Annotated[str | None, Query(max_length=64)] = None,
) -> JSONResponse:
    """Dead and missing by grid cell as GeoJSON points (0.5° cells and small counts suppressed
    for the public; 0.1° cells and exact counts for analysts)."""
    data = point_service.incident_points(
        db, actor, from_, to, route, threshold=settings.analytics_suppression_threshold
    )
    return JSONResponse(data, media_type="application/geo+json")


# public answers served before validation, and new public questions answered lean
in_front(router, {series: lean_series, mortality: lean_mortality, overview: lean_overview})
