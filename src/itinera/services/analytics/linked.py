"""How a route moves with the routes linked to it (C3, issue 11): the Pearson correlation of
the month-on-month changes of their figures, for the API and the route page.

Linked routes are those the catalogue links to the route (either direction: inversely linked,
shared origins, feeds into) and the other members of its group. The correlation reads the
figures this actor may see (a suppressed month has no figure), over the period asked (default:
the last 36 months with a figure for the route), and needs at least 6 months where both routes
have a change (``shifts.correlation``).
"""

from __future__ import annotations

from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.series import Month, months_between
from itinera.domain.analytics.shifts import correlation
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.errors import ValidationError
from itinera.domain.text import localise
from itinera.services.analytics.dashboard import flow_indicator
from itinera.services.analytics.figures import load_figures, parse_month
from itinera.services.analytics.series import DEFAULT_SPAN
from itinera.services.catalogue import routes as route_service
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.storage.database import Database

__all__ = ["linked_routes"]

SAME_GROUP = "same-group"


def _links(db: Database, route_id: str) -> dict[str, str]:
    """Linked route id -> how it is linked (the catalogue link's kind, else "same-group")."""
    detail = route_service.get_route(db, route_id)  # 404 for an unknown route
    found: dict[str, str] = {}
    for link in detail.links:
        other = link.to_route if link.from_route == route_id else link.from_route
        if other != route_id:
            found.setdefault(other, link.kind.value)
    if detail.route.group is not None:
        for route in route_service.list_routes(db):
            if route.group == detail.route.group and route.id != route_id:
                found.setdefault(route.id, SAME_GROUP)
    return found


def linked_routes(
    db: Database,
    actor: Actor,
    route_id: str,
    indicator: str | None = None,
    first: str | None = None,
    last: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    language: str = "en",
) -> dict[str, Any]:
    require(actor, Action.VIEW_AGGREGATES)
    exact = can(actor, Action.VIEW_EXACT_FIGURES)
    links = _links(db, route_id)
    if indicator is not None and indicator not in indicator_dictionary().indicators:
        raise ValidationError.single("indicator", f"{indicator!r} is not a known indicator")
    indicator = indicator or flow_indicator(db, route_id)
    figures = load_figures(db, indicator, [route_id, *links])
    series = {
        r: {m: v for m, v in figures.totals(r).items() if exact or not 0 < v < threshold}
        for r in [route_id, *links]
    }
    asked_first, asked_last = parse_month(first, "from"), parse_month(last, "to")
    end = asked_last or max(series[route_id], default=None)
    start = asked_first or (end.shift(-(DEFAULT_SPAN - 1)) if end else None)
    if start and end and end < start:
        raise ValidationError.single("to", f"{end} is before {start}")
    window = set(months_between(start, end)) if start and end else set()
    names = {r.id: localise(dict(r.name), language) for r in route_service.list_routes(db)}

    def within(r: str) -> dict[Month, float]:
        return {m: v for m, v in series[r].items() if m in window}

    mine = within(route_id)
    answers = []
    for other, kind in sorted(links.items()):
        theirs = within(other)
        pairs = sum(
            1 for m in mine if m in theirs and m.shift(-1) in mine and m.shift(-1) in theirs
        )
        value = correlation(mine, theirs)
        answers.append(
            {
                "route_id": other,
                "name": names.get(other, other),
                "link": kind,
                "correlation": None if value is None else round(value, 3),
                "months": pairs,
            }
        )
    return {
        "route_id": route_id,
        "indicator": indicator,
        "from": start.code if start else None,
        "to": end.code if end else None,
        "method": "Pearson correlation of month-on-month changes (at least 6 months)",
        "linked": answers,
    }
