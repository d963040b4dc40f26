"""Everything the route page shows (C3): charts with their tables, shifts, alerts, sources.

Each chart is a plain dict (labels, datasets, a table for the text alternative and the API URL of
its CSV) so that the template draws the table and the script draws the chart from the same
figures.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from itinera.domain.access import Actor
from itinera.domain.analytics.series import Month, months_between
from itinera.domain.errors import ValidationError
from itinera.services.analytics.alerts import list_alerts
from itinera.services.analytics.dashboard import flow_indicator, group_shares, route_sources
from itinera.services.analytics.linked import linked_routes
from itinera.services.analytics.series import DEFAULT_SPAN, route_mortality, route_series
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.database import Database

__all__ = ["PAGE_INDICATORS", "route_dashboard"]

PAGE_INDICATORS = ("arrivals", "irregular_crossings_detected", "dead_and_missing")
TOP = 10


def _chart(
    chart_id: str,
    title: str,
    kind: str,
    labels: list[str],
    datasets: list[dict[str, Any]],
    csv: str,
) -> dict[str, Any]:
    rows = [[label, *[d["data"][i] for d in datasets]] for i, label in enumerate(labels)]
    return {
        "id": chart_id,
        "title": title,
        "kind": kind,
        "labels": labels,
        "datasets": datasets,
        "csv": csv,
        "header": [d["label"] for d in datasets],
        "rows": rows,
    }


def _url(route_id: str, what: str, **params: str | None) -> str:
    query = urlencode({k.rstrip("_"): v for k, v in params.items() if v}, safe=",")
    return f"/api/routes/{route_id}/{what}?{query}&format=csv"


def route_dashboard(
    db: Database,
    actor: Actor,
    route_id: str,
    *,
    first: str | None,
    last: str | None,
    indicator: str | None,
    threshold: int,
    shift_points: float,
    language: str,
) -> dict[str, Any]:
    """The route page's figures for the period asked (default: the last 36 months with data)."""
    names = {k: v.name for k, v in indicator_dictionary().indicators.items()}
    error = None
    if indicator is not None and indicator not in PAGE_INDICATORS:
        error, indicator = f"indicator: {indicator!r} is not one of {PAGE_INDICATORS}", None
    indicator = indicator or flow_indicator(db, route_id)
    if not last:  # default: the last 36 months up to the latest figure of either series
        ends = [
            route_series(db, actor, route_id, i, threshold=threshold)["to"]
            for i in {indicator, "dead_and_missing"}
        ]
        last = max((e for e in ends if e), default=None)
        if last and not first:
            first = Month.parse(last).shift(-(DEFAULT_SPAN - 1)).code
    try:
        flow = route_series(db, actor, route_id, indicator, first, last, threshold=threshold)
    except ValidationError as problem:
        error, first, last = str(problem), None, None
        flow = route_series(db, actor, route_id, indicator, threshold=threshold)
    if flow["from"] is None:  # nothing for that indicator: take the dead and missing's window
        flow = route_series(
            db, actor, route_id, "dead_and_missing", first, last, threshold=threshold
        )
    window = {"from_": flow["from"], "to": flow["to"]}
    dead = route_series(
        db, actor, route_id, "dead_and_missing", flow["from"], flow["to"], threshold=threshold
    )
    mortality = route_mortality(db, actor, route_id, flow["from"], flow["to"], threshold=threshold)
    labels = [p["month"] for p in flow["points"]]
    charts = [
        _chart(
            "chart-flow",
            indicator,
            "line",
            labels,
            [{"label": indicator, "data": [p["value"] for p in flow["points"]]}],
            _url(route_id, "series", indicator=indicator, **window),
        ),
        _chart(
            "chart-dead",
            "dead_and_missing",
            "bar",
            [p["month"] for p in dead["points"]],
            [{"label": "dead_and_missing", "data": [p["value"] for p in dead["points"]]}],
            _url(route_id, "series", indicator="dead_and_missing", **window),
        ),
        _chart(
            "chart-mortality",
            "mortality_rate",
            "line",
            [p["month"] for p in mortality["points"]],
            [{"label": "per_thousand", "data": [p["per_thousand"] for p in mortality["points"]]}],
            _url(route_id, "mortality", **window),
        ),
    ]
    for by in ("nationality", "country"):
        split = route_series(
            db,
            actor,
            route_id,
            indicator,
            flow["from"],
            flow["to"],
            by=by,
            top=TOP,
            threshold=threshold,
        )
        items = split.get("breakdown", [])
        charts.append(
            _chart(
                f"chart-{by}",
                by,
                "bar",
                [i["category"] for i in items],
                [{"label": indicator, "data": [i["total"] for i in items]}],
                _url(route_id, "series", indicator=indicator, by=by, top=str(TOP), **window),
            )
        )
    months = [Month.parse(m) for m in labels]
    shares = group_shares(db, actor, route_id, indicator, months, threshold)
    if shares:
        charts.append(
            _chart(
                "chart-shares",
                "group_share",
                "line",
                shares["months"],
                [
                    {
                        "label": r,
                        "data": [
                            None if v is None else round(100 * v, 1) for v in shares["shares"][r]
                        ],
                    }
                    for r in shares["members"]
                ],
                "",
            )
        )
    alerts = list_alerts(
        db,
        actor,
        route_id=route_id,
        shift_points=shift_points,
        threshold=threshold,
        language=language,
    )
    linked = linked_routes(
        db, actor, route_id, indicator, flow["from"], flow["to"], threshold, language
    )
    batches = sorted({*flow["batches"], *dead["batches"]})
    return {
        "indicator": indicator,
        "indicators": PAGE_INDICATORS,
        "indicator_names": names,
        "from": flow["from"],
        "to": flow["to"],
        "error": error,
        "exact": flow["exact"],
        "threshold": flow["threshold"],
        "charts": charts,
        "alerts": alerts,
        "linked": linked["linked"],  # correlation of monthly changes (issue 11)
        "mortality": mortality.get("period"),
        "formula": mortality.get("formula"),
        "dead_total": dead["total"],
        "flow_total": flow["total"],
        "sources": route_sources(db, batches),
        "months": len(months_between(months[0], months[-1])) if months else 0,
    }
