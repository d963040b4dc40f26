"""What a route report says (C4), assembled from the other capabilities' public services.

Sections follow seed 000's framework: key figures, dynamics and trends, risks, responses,
qualitative insights, alerts, sources and caveats. The figures are asked for with the reader the
edition is for: the public edition as an anonymous caller (suppressed exactly as the API answers
the public), the internal edition as the requesting analyst. So every figure of a report equals
the API's figure for the same question and the same reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from itinera.domain.access import ANONYMOUS, Action, Actor, require
from itinera.domain.analytics.series import Month, months_between
from itinera.domain.errors import ValidationError
from itinera.domain.monitoring import Confidentiality
from itinera.services.analytics import alerts as alert_service
from itinera.services.analytics import dashboard
from itinera.services.analytics import series as series_service
from itinera.services.catalogue import routes as route_service
from itinera.services.monitoring import entries, summary
from itinera.services.reports import dynamics
from itinera.services.reports.responses import activities_by_pillar, responses_section
from itinera.storage.database import Database

__all__ = ["EDITIONS", "ReportRequest", "assemble", "edition_reader"]

EDITIONS = ("public", "internal")
BREAKDOWNS = ("nationality", "sex", "age_group", "country")
TOP = 10


@dataclass(frozen=True)
class ReportRequest:
    route_id: str
    first: str  # YYYY-MM
    last: str
    language: str = "en"
    edition: str = "public"
    format: str = "pdf"
    compare: str | None = None  # "YYYY-MM..YYYY-MM": a second period, side by side

    def compared_months(self) -> list[Month] | None:
        if not self.compare:
            return None
        first, sep, last = self.compare.partition("..")
        if not sep:
            raise ValidationError.single("compare", "write the period as YYYY-MM..YYYY-MM")
        other = ReportRequest(self.route_id, first, last)
        try:
            return other.months()
        except ValidationError as problem:
            raise ValidationError.single("compare", problem.errors[0].message) from None

    def months(self) -> list[Month]:
        try:
            first, last = Month.parse(self.first), Month.parse(self.last)
        except ValueError as error:
            raise ValidationError.single("from", str(error)) from None
        if last < first:
            raise ValidationError.single("to", f"{last} is before {first}")
        if last.index - first.index >= 36:
            raise ValidationError.single("from", "a report covers at most 36 months")
        return months_between(first, last)

    def check(self) -> None:
        if self.edition not in EDITIONS:
            raise ValidationError.single("edition", f"{self.edition!r} is not public or internal")
        if self.language not in ("en", "fr", "ar"):
            raise ValidationError.single("lang", f"{self.language!r} is not en, fr or ar")
        if self.format not in ("html", "pdf"):
            raise ValidationError.single("format", f"{self.format!r} is not html or pdf")
        self.months()
        self.compared_months()


def edition_reader(actor: Actor, edition: str) -> Actor:
    """Whose eyes the report's figures are read with: the public's, or the caller's."""
    if edition == "internal":
        require(actor, Action.VIEW_INTERNAL_MONITORING)
        return actor
    require(actor, Action.VIEW_AGGREGATES)
    return ANONYMOUS


def _series(
    db: Database,
    reader: Actor,
    route: str,
    indicator: str,
    first: Month,
    last: Month,
    threshold: int,
    by: str | None = None,
) -> dict[str, Any]:
    return series_service.route_series(
        db,
        reader,
        route,
        indicator,
        first.code,
        last.code,
        by,
        TOP if by else None,
        threshold=threshold,
    )


def _key_figure(
    db: Database, reader: Actor, route: str, indicator: str, months: list[Month], threshold: int
) -> dict[str, Any]:
    span = len(months)
    now = _series(db, reader, route, indicator, months[0], months[-1], threshold)
    before = _series(
        db, reader, route, indicator, months[0].shift(-span), months[-1].shift(-span), threshold
    )
    year = _series(
        db, reader, route, indicator, months[0].shift(-12), months[-1].shift(-12), threshold
    )
    return {
        "indicator": indicator,
        "value": now["total"],
        "previous": before["total"],
        "year_ago": year["total"],
        "sources": now["sources"],
        "batches": now["batches"],
        "suppressed": any(p["suppressed"] for p in now["points"]),
        "points": now["points"],
    }


def assemble(
    db: Database,
    actor: Actor,
    request: ReportRequest,
    *,
    threshold: int,
    shift_points: float,
    settings: Any,
) -> dict[str, Any]:
    """The report's content as plain data (the renderers draw it; its tables become CSVs)."""
    request.check()
    reader = edition_reader(actor, request.edition)
    months = request.months()
    detail = route_service.get_route(db, request.route_id)
    route = detail.route
    flow = dashboard.flow_indicator(db, route.id)
    indicators = [flow, "dead_and_missing"]
    if flow == "arrivals":
        indicators.append("interceptions")
    key = [_key_figure(db, reader, route.id, i, months, threshold) for i in indicators]
    compared = request.compared_months()
    comparison = None
    if compared:
        comparison = {
            "from": compared[0].code,
            "to": compared[-1].code,
            "key_figures": [
                _key_figure(db, reader, route.id, i, compared, threshold) for i in indicators
            ],
        }
    mortality = series_service.route_mortality(
        db, reader, route.id, months[0].code, months[-1].code, threshold=threshold
    )
    breakdowns = {
        by: _series(db, reader, route.id, flow, months[0], months[-1], threshold, by).get(
            "breakdown", []
        )
        for by in BREAKDOWNS
    }
    shares = dashboard.group_shares(db, reader, route.id, flow, months, threshold)
    levels = (
        (Confidentiality.PUBLIC,)
        if request.edition == "public"
        else (Confidentiality.PUBLIC, Confidentiality.INTERNAL)  # restricted: never in a report
    )
    first_day = date(months[0].year, months[0].month, 1)
    after = months[-1].shift(1)
    last_day = date.fromordinal(date(after.year, after.month, 1).toordinal() - 1)
    exact = request.edition == "internal"
    observations = entries.list_observations(
        db, reader, route.id, first_day, last_day, levels=levels
    )
    notes = entries.list_notes(db, reader, route.id, first_day, last_day, levels=levels)
    period_codes = {m.code for m in months}
    alerts = [
        a
        for a in alert_service.list_alerts(
            db,
            reader,
            route_id=route.id,
            months=240,
            shift_points=shift_points,
            threshold=threshold,
            language=request.language,
        )
        if a["month"] in period_codes
    ]
    batches = sorted({b for k in key for b in k["batches"]})
    responses = responses_section(db, reader, route.id, settings)
    responses["activities"] = activities_by_pillar(db, reader, route.id, months[-1].year, threshold)
    return {
        "route": {
            "id": route.id,
            "name": dict(route.name),
            "group": route.group,
            "countries": [{"country": c.country, "role": c.role.value} for c in route.countries],
        },
        "geometry": detail.geojson(request.language),
        "period": {"from": months[0].code, "to": months[-1].code, "months": len(months)},
        "edition": request.edition,
        "language": request.language,
        "exact": exact,
        "threshold": None if exact else threshold,
        "flow_indicator": flow,
        "key_figures": key,
        "comparison": comparison,
        "mortality": mortality,
        "breakdowns": breakdowns,
        "group_shares": shares,
        "observations": [entries.observation_view(o, exact, threshold) for o in observations],
        "observation_counts": {
            by: summary.count_observations(observations, by, exact=exact, threshold=threshold)
            for by in ("incident_type", "leg", "perpetrator")
        },
        "survey": summary.survey_shares(observations, exact=exact),
        "notes": [
            {
                "date_from": n.date_from.isoformat(),
                "date_to": n.date_to.isoformat(),
                "place": n.place,
                "tags": list(n.tags),
                "text": n.text,
                "confidentiality": n.confidentiality.value,
            }
            for n in notes
        ],
        "departures": dynamics.departures(db, reader, route.id, months, threshold),
        "interceptions_by_authority": dynamics.interceptions_by_authority(
            db, reader, route.id, months, threshold
        ),
        "uasc": dynamics.uasc(db, reader, route.id, flow, months, threshold),
        "attribution": dynamics.attribution(db, route.id, months),
        "responses": responses,
        "alerts": alerts,
        "sources": dashboard.route_sources(db, batches),
        "batches": batches,
    }
