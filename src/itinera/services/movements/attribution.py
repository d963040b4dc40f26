"""Route attribution of movement figures (C2, decision 0020): the attributor an import uses,
the tally its report shows, and the analyst's override.

An import asks the alias table first (``routing.RouteResolver``); what it leaves on no route is
offered to the source's place rules and, for incidents, to the nearest catalogue leg
(``domain.route_attribution``). The report counts figures and persons by each means and those
left on no route, so that nothing leaves a route total silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.route_attribution import (
    AttributionRules,
    LegSegment,
    RouteAttributor,
    leg_segments,
)
from itinera.reference.attribution import packaged_attribution_rules
from itinera.services.accounts import audit
from itinera.storage.analytics.analytics_repository import CubeRepository
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.movements.movement_repository import MovementRepository

__all__ = ["AttributionTally", "load_attributor", "load_rules", "set_route"]

NO_ROUTE = "none"
KINDS = ("observation", "incident")


def load_attributor(session: UnitOfWork, source: str) -> RouteAttributor:
    """The attributor of one source over the catalogue as stored (user routes included)."""
    return RouteAttributor(*load_rules(session), source)


def load_rules(
    session: UnitOfWork, rules: AttributionRules | None = None
) -> tuple[AttributionRules, list[LegSegment]]:
    """The rules (the packaged ones unless given) over the catalogue as stored, and its legs."""
    repository = RouteRepository(session)
    routes = repository.list()
    segments = leg_segments(routes, repository.places())
    rules = rules or packaged_attribution_rules()
    stored = {route.id for route in routes}  # a route a user deleted takes no more figures
    rules = replace(rules, place_rules=tuple(r for r in rules.place_rules if r.route in stored))
    return rules, segments


class AttributionTally:
    """Figures and persons by means of attribution, for the import report."""

    def __init__(self) -> None:
        self.figures: Counter[str] = Counter()
        self.persons: dict[str, dict[str, float]] = defaultdict(dict)
        self.incidents: Counter[str] = Counter()
        self.incident_persons: Counter[str] = Counter()

    def add_figure(self, method: str | None, indicator: str, value: float, unit: str) -> None:
        means = str(method) if method else NO_ROUTE  # a RouteMethod's value
        self.figures[means] += 1
        if unit == "persons":
            sums = self.persons[means]
            sums[indicator] = sums.get(indicator, 0.0) + value

    def add_figures(
        self, method: str | None, indicator: str, count: int, total: float, unit: str
    ) -> None:
        """``add_figure`` for ``count`` figures of one indicator adding up to ``total``."""
        means = str(method) if method else NO_ROUTE
        self.figures[means] += count
        if unit == "persons":
            sums = self.persons[means]
            sums[indicator] = sums.get(indicator, 0.0) + total

    def add_incident(self, method: str | None, persons: int) -> None:
        means = str(method) if method else NO_ROUTE
        self.incidents[means] += 1
        self.incident_persons[means] += persons

    def as_dict(self) -> dict[str, Any]:
        """``{"figures": {means: {"figures": n, "persons": {indicator: sum}}}, "incidents":
        {means: {"incidents": n, "dead_and_missing": persons}}}``; ``none`` is no route."""
        return {
            "figures": {
                means: {"figures": n, "persons": _rounded(self.persons.get(means, {}))}
                for means, n in sorted(self.figures.items())
            },
            "incidents": {
                means: {"incidents": n, "dead_and_missing": self.incident_persons[means]}
                for means, n in sorted(self.incidents.items())
            },
        }


def _rounded(persons: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 2) for k, v in sorted(persons.items())}


def set_route(db: Database, actor: Actor, kind: str, ids: list[int], route_id: str | None) -> int:
    """An analyst puts stored figures or incidents on ``route_id`` (``None``: on no route);
    later imports and alias changes keep that choice. Returns the rows changed."""
    require(actor, Action.IMPORT_MOVEMENTS)
    if kind not in KINDS:
        raise ValidationError.single("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if not ids:
        raise ValidationError.single("ids", "name at least one id")
    with db.transaction(write=True) as session:
        if route_id is not None and RouteRepository(session).get(route_id) is None:
            raise ValidationError.single("route_id", f"unknown route {route_id!r}")
        changed, before = MovementRepository(session).set_route(kind, ids, route_id)
        if not changed:
            raise NotFoundError(f"no {kind} with the ids given")
        moved = sorted(before | ({route_id} if route_id else set()))
        CubeRepository(session).resum_routes(moved)
        audit.record(
            session,
            actor,
            action="movements.route_set",
            entity=kind,
            entity_id=str(ids[0]),
            purpose="analysis",
            detail={"rows": changed, "route_id": route_id or "", "ids": ids[:50]},
        )
    return changed
