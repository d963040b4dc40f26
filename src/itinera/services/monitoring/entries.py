"""Record and read risk observations and field notes (C11).

Who reads what: everyone may read ``public`` entries; ``internal`` ones need
``view_internal_monitoring``; ``restricted`` ones are read only by the organisation that
recorded them (and never enter a report). Public readers get persons counts below the
suppression threshold hidden (at least 10 for survey-based entries) and coordinates rounded to
0.5° cells, like the dead-and-missing points.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD
from itinera.domain.errors import NotFoundError
from itinera.domain.monitoring import (
    Confidentiality,
    FieldNote,
    RiskObservation,
    Vocabularies,
    check_note,
    check_observation,
)
from itinera.reference.monitoring import packaged_vocabularies
from itinera.services.accounts import audit
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.monitoring.monitoring_repository import MonitoringRepository

__all__ = [
    "SURVEY_THRESHOLD",
    "create_note",
    "create_observation",
    "list_notes",
    "list_observations",
    "observation_view",
    "readable_levels",
    "vocabularies",
]

SURVEY_THRESHOLD = 10  # survey-based counts: at least 10 respondents before publishing
PUBLIC_GRID = 0.5


def vocabularies() -> Vocabularies:
    return packaged_vocabularies()


def readable_levels(actor: Actor) -> tuple[Confidentiality, ...]:
    if can(actor, Action.VIEW_INTERNAL_MONITORING):
        return (Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED)
    return (Confidentiality.PUBLIC,)


def _require_route(session: UnitOfWork, route_id: str) -> None:
    if RouteRepository(session).get(route_id) is None:
        raise NotFoundError(f"no route with id {route_id!r}", hint="see `itinera routes list`")


def create_observation(db: Database, actor: Actor, observation: RiskObservation) -> int:
    require(actor, Action.RECORD_FIELD_MONITORING)
    observation = replace(observation, organisation_id=actor.organisation_id)
    check_observation(observation, vocabularies())
    with db.transaction(write=True) as session:
        _require_route(session, observation.route_id)
        new_id = MonitoringRepository(session).add_observation(observation, actor.username[:64])
        audit.record(
            session,
            actor,
            action="record_risk_observation",
            entity="risk_observation",
            entity_id=str(new_id),
            detail={"route": observation.route_id, "type": observation.incident_type},
        )
    return new_id


def create_note(db: Database, actor: Actor, note: FieldNote) -> int:
    require(actor, Action.RECORD_FIELD_MONITORING)
    note = replace(note, organisation_id=actor.organisation_id, author=actor.username[:64])
    check_note(note, vocabularies())
    with db.transaction(write=True) as session:
        _require_route(session, note.route_id)
        new_id = MonitoringRepository(session).add_note(note)
        audit.record(
            session,
            actor,
            action="record_field_note",
            entity="field_note",
            entity_id=str(new_id),
            detail={"route": note.route_id},
        )
    return new_id


def _visible(actor: Actor, organisation_id: int | None, level: Confidentiality) -> bool:
    if level is not Confidentiality.RESTRICTED:
        return True
    return actor.organisation_id is not None and actor.organisation_id == organisation_id


def list_observations(
    db: Database,
    actor: Actor,
    route_id: str | None,
    first: date | None = None,
    last: date | None = None,
    *,
    levels: tuple[Confidentiality, ...] | None = None,
) -> list[RiskObservation]:
    """The entries ``actor`` may read (``levels`` narrows them further, e.g. for an edition)."""
    require(actor, Action.VIEW_AGGREGATES)
    allowed = [lv for lv in readable_levels(actor) if levels is None or lv in levels]
    with db.transaction() as session:
        found = MonitoringRepository(session).observations(route_id, allowed, first, last)
    return [o for o in found if _visible(actor, o.organisation_id, o.confidentiality)]


def list_notes(
    db: Database,
    actor: Actor,
    route_id: str | None,
    first: date | None = None,
    last: date | None = None,
    *,
    levels: tuple[Confidentiality, ...] | None = None,
) -> list[FieldNote]:
    require(actor, Action.VIEW_AGGREGATES)
    allowed = [lv for lv in readable_levels(actor) if levels is None or lv in levels]
    with db.transaction() as session:
        found = MonitoringRepository(session).notes(route_id, allowed, first, last)
    return [n for n in found if _visible(actor, n.organisation_id, n.confidentiality)]


def threshold_for(observation: RiskObservation, threshold: int) -> int:
    return max(threshold, SURVEY_THRESHOLD) if observation.source_type == "survey" else threshold


def observation_view(
    observation: RiskObservation, exact: bool, threshold: int = DEFAULT_THRESHOLD
) -> dict[str, Any]:
    """One observation as the API and reports show it; suppressed unless ``exact``."""
    o = observation
    persons, lat, lon, suppressed = o.persons, o.latitude, o.longitude, False
    if not exact:
        if persons is not None and 0 < persons < threshold_for(o, threshold):
            persons, suppressed = None, True
        if lat is not None and lon is not None:
            lat, lon = _cell(lat), _cell(lon)
    return {
        "id": o.id,
        "route_id": o.route_id,
        "incident_type": o.incident_type,
        "perpetrator": o.perpetrator,
        "date_from": o.date_from.isoformat(),
        "date_to": o.date_to.isoformat(),
        "place": o.place,
        "latitude": lat,
        "longitude": lon,
        "leg": o.leg,
        "persons": persons,
        "persons_suppressed": suppressed,
        "sex": o.sex,
        "age_group": o.age_group,
        "source_type": o.source_type,
        "reliability": o.reliability,
        "credibility": o.credibility,
        "confidentiality": o.confidentiality.value,
        "description": o.description if exact or not suppressed else "",
        "smuggler_used": o.smuggler_used,
        "smuggler_cost_usd": o.smuggler_cost_usd,
    }


def _cell(value: float) -> float:
    return (value // PUBLIC_GRID) * PUBLIC_GRID + PUBLIC_GRID / 2
