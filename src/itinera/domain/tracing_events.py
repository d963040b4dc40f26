"""Dead-and-missing events as tracing candidates: an incident that *may* concern a person.

A Missing Migrants incident records where and when people died or went missing, how many,
their sex and origins, never who they were: it is a candidate **event**, never an identity.
The score is a log-odds sum, like the linkage's weights, so the explanation reads the same way;
the weights are judgement (stated here), not estimated, and only rank events for a reviewer.
"""

from __future__ import annotations

import math
from datetime import date

from itinera.domain.movement_records import IncidentRecord
from itinera.domain.tracing import ExplanationStep, SoughtPerson

__all__ = ["EVENT_PRIOR_WEIGHT", "score_event"]

EVENT_PRIOR_WEIGHT = -8.0
"""Log2 odds that a given incident concerns a given person before looking at anything."""
_AFTER_LAST_SEEN_DAYS = 365
_BEFORE_LAST_SEEN_DAYS = 7


def _date_step(last_seen: date, when: date) -> ExplanationStep | None:
    days = (when - last_seen).days
    if days < -_BEFORE_LAST_SEEN_DAYS or days > _AFTER_LAST_SEEN_DAYS:
        return None
    if days <= 30:
        return ExplanationStep("date", "within 30 days after last seen", 3.0)
    return ExplanationStep("date", "within a year after last seen", 1.0)


def _sex_step(person: SoughtPerson, incident: IncidentRecord) -> ExplanationStep:
    counts = {"female": incident.females, "male": incident.males}
    known = counts.get(person.sex.value)
    if known is None or incident.females is None or incident.males is None:
        return ExplanationStep("sex", "not recorded", 0.0)
    if known > 0:
        return ExplanationStep("sex", "people of that sex among them", 0.5)
    return ExplanationStep("sex", "nobody of that sex among them", -5.0)


def score_event(
    person: SoughtPerson, incident: IncidentRecord, last_seen_place_latin: str | None
) -> tuple[float, tuple[ExplanationStep, ...]] | None:
    """Probability and explanation, or None when the incident cannot concern the person
    (no date, outside the window after the last sighting, nobody dead or missing)."""
    if person.last_seen_date is None or incident.date is None or incident.superseded:
        return None
    if not (incident.dead or 0) + (incident.missing or 0):
        return None
    dated = _date_step(person.last_seen_date, incident.date)
    if dated is None:
        return None
    steps = [ExplanationStep("prior", "any incident", EVENT_PRIOR_WEIGHT), dated]
    if person.nationality and person.nationality in incident.origins:
        steps.append(ExplanationStep("nationality", "among the origins recorded", 5.0))
    elif incident.origins:
        steps.append(ExplanationStep("nationality", "not among the origins recorded", -3.0))
    place = (incident.location or "").casefold()
    if last_seen_place_latin and last_seen_place_latin.casefold() in place:
        steps.append(ExplanationStep("place", "last seen place named in the location", 4.0))
    steps.append(_sex_step(person, incident))
    weight = sum(step.weight for step in steps)
    return 1 / (1 + math.pow(2, -weight)), tuple(steps)
