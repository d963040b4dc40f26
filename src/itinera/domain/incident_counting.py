"""How incident records add up, so that derived figures never count the same people twice.

The rules, for the IOM Missing Migrants Project and any incident-level source:

1. **Every row's people count once.** Each record (one ``source_id``) contributes its dead,
   missing and survivors to the totals of the month of its date, whatever its type. A
   *cumulative* record (an aggregate over a period, e.g. bodies recovered along a border over
   a year) holds people recorded nowhere else, and MMP's own totals include them.
2. **A record is counted as one event only when it is one.** Cumulative records are never
   counted as single incidents (:func:`counts_as_event`).
3. **A split incident is one event, whatever the number of rows.** MMP records an incident
   that spans several countries or routes as a *split* incident: its "Incident ID" cell lists
   the ids of the parts (``Incident.related_ids``). In the 2025 export each split incident is
   one row carrying the figures of all its parts, and no other row repeats them. Where a file
   holds the parts as separate rows, each part carries its own figures (rule 1 still holds)
   and :func:`event_key` gives every part of one incident the same key, so counting distinct
   keys counts the incident once.
4. **No date, no month.** A record without a date is stored but enters no monthly figure.
5. The same ``source_id`` twice in one batch is a duplicate: the importer rejects the second.
"""

from __future__ import annotations

from collections.abc import Iterable

from itinera.domain.observation import Incident, IncidentType

__all__ = ["counts_as_event", "counts_in_totals", "event_count", "event_key"]


def counts_in_totals(incident: Incident) -> bool:
    """Whether the record's people enter monthly totals (rules 1 and 4)."""
    return incident.date is not None


def counts_as_event(incident: Incident) -> bool:
    """Whether the record is (part of) one incident, as opposed to an aggregate (rule 2)."""
    return incident.incident_type is not IncidentType.CUMULATIVE


def event_key(incident: Incident) -> str:
    """The same key for every row of one split incident; the record's id otherwise (rule 3)."""
    if incident.incident_type is IncidentType.SPLIT and incident.related_ids:
        return min((incident.source_id, *incident.related_ids))
    return incident.source_id


def event_count(incidents: Iterable[Incident]) -> int:
    """Number of distinct incidents among ``incidents`` (cumulative records excluded)."""
    return len({event_key(incident) for incident in incidents if counts_as_event(incident)})
