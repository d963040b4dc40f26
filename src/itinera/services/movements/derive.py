"""Monthly observations derived from incident records (Missing Migrants Project style).

Rules (docs/decisions/0005-movement-data.md):
- Figures go to the month of the incident date, by the publisher's route name and the
  country of incident. Records without a date are not in the monthly figures.
- Persons (dead, missing, dead and missing, survivors) are summed over every record,
  cumulative and split ones included: each row of a split incident carries its own share,
  and a cumulative record's people are real people, only not one event.
- ``incidents`` counts events: a cumulative record is never an event; the rows of a split
  incident count once together (at the first row read), never once per row.
- A publisher's correction (an incident with a negative count, MMP) is summed apart into
  figures marked ``correction``: the figures and their corrections add up to the publisher's.
- Each figure keeps the route its incidents were attributed to (decision 0020) and how: the
  incidents of one publisher's route name, country and month that went to different routes
  by their coordinates make one figure per route; its distance is the farthest incident's.
- Blank is unknown: a month whose records all leave ``dead`` blank gets no ``dead`` figure;
  ``dead_and_missing`` treats blanks as zero, as the publisher's own total does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from itinera.domain.observation import Incident, IncidentType, Observation, Period
from itinera.domain.route_attribution import Attribution, RouteMethod

__all__ = ["DERIVED_INDICATORS", "derive_attributed", "derive_monthly"]

DERIVED_INDICATORS = ("dead", "missing", "dead_and_missing", "survivors", "incidents")

# route name, country, year, month, correction, route id, method
_Key = tuple[str | None, str | None, int, int, bool, str | None, RouteMethod | None]
_NONE = Attribution(None, None)


def _event_key(incident: Incident) -> str:
    return min((incident.source_id, *incident.related_ids))


def derive_monthly(incidents: Iterable[Incident]) -> list[Observation]:
    return [o for o, _ in derive_attributed((i, _NONE) for i in incidents)]


def derive_attributed(
    pairs: Iterable[tuple[Incident, Attribution]],
) -> list[tuple[Observation, Attribution]]:
    """Monthly figures of incidents each with its route attribution, and the figures'."""
    sums: dict[_Key, dict[str, int]] = defaultdict(dict)
    farthest: dict[_Key, float | None] = {}
    seen_events: set[str] = set()
    for incident, found in pairs:
        if incident.date is None:
            continue
        key = (
            incident.route_name,
            incident.country,
            incident.date.year,
            incident.date.month,
            incident.correction,
            found.route_id,
            found.method,
        )
        if found.distance_km is not None:
            farthest[key] = max(farthest.get(key) or 0.0, found.distance_km)
        figures = sums[key]
        for indicator, value in (
            ("dead", incident.dead),
            ("missing", incident.missing),
            ("survivors", incident.survivors),
        ):
            if value is not None:
                figures[indicator] = figures.get(indicator, 0) + value
        figures["dead_and_missing"] = figures.get("dead_and_missing", 0) + incident.dead_and_missing
        counted = incident.incident_type is IncidentType.SINGLE
        if incident.incident_type is IncidentType.SPLIT:
            event = _event_key(incident)
            counted = event not in seen_events
            seen_events.add(event)
        if not incident.correction:  # a correction is not an event of its own
            figures["incidents"] = figures.get("incidents", 0) + int(counted)
    result = []
    for key, figures in sums.items():
        route_name, country, year, month, correction, route_id, method = key
        period = Period.month(year, month)
        found = Attribution(route_id, method, farthest.get(key))
        for indicator in DERIVED_INDICATORS:
            if indicator in figures:
                observation = Observation(
                    indicator,
                    float(figures[indicator]),
                    period,
                    route_name=route_name,
                    route_id=route_id,
                    country=country,
                    correction=correction,
                )
                result.append((observation, found))
    return result
