"""One linkage run over everything stored: persons sought, registrations, other requests.

Records are decrypted in memory for the run only and handed to the linkage engine (which works
in a temporary directory of its own, removed after the run). Registrations take part only when
their consent covers tracing. Pairs already decided are left alone (a rejected pair is never
proposed again); the model's parameters are versioned, never the records.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import Purpose
from itinera.domain.case_record import CaseRecord
from itinera.domain.movement_records import IncidentRecord
from itinera.domain.tracing import CandidateKind, ExplanationStep, SoughtPerson
from itinera.domain.tracing_events import score_event
from itinera.domain.tracing_places import PlaceIndex
from itinera.engines.linkage_records import (
    LinkageRecord,
    collection_paused,
    keyed_record,
    objects_frozen,
)
from itinera.engines.names import (
    VariantDictionary,
    to_latin,
    transliterator_name,
)
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.learning import dictionary_for_run
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.catalogue.route_repository import RouteRepository
from itinera.storage.database import UnitOfWork
from itinera.storage.movements.query_repository import MovementQueryRepository
from itinera.storage.tracing.candidate_repository import CandidateRepository, NewCandidate
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["DEFAULT_THRESHOLD", "MatchReport", "run_match"]

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
_NAMES = frozenset({"given_name", "family_name", "date_of_birth"})


@dataclass(frozen=True)
class MatchReport:
    persons_sought: int
    registrations: int
    incidents: int
    pairs_scored: int
    new_candidates: int
    model_version: str
    threshold: float


def _person_record(
    person: SoughtPerson, dictionary: VariantDictionary, places: PlaceIndex
) -> LinkageRecord:
    others = [*person.name_parts, *person.other_spellings]  # parents weigh on their own
    birth = person.date_of_birth.isoformat() if person.date_of_birth else None
    seen = person.last_seen_date.isoformat() if person.last_seen_date else None
    return keyed_record(
        f"p:{person.id}",
        (person.given_name, person.family_name),
        others,
        (person.year_of_birth, birth),
        _sex(person.sex.value),
        person.nationality,
        dictionary,
        places.resolve(person.last_seen_place),
        parents=(person.father_name, person.mother_name),
        seen=seen,
    )


def _case_record(
    case: CaseRecord, dictionary: VariantDictionary, places: PlaceIndex
) -> LinkageRecord:
    birth = case.date_of_birth
    return keyed_record(
        f"c:{case.id}",
        (case.given_name, case.family_name),
        [],
        (birth.year, birth.isoformat()) if birth else (None, None),
        _sex(case.sex),
        case.nationality,
        dictionary,
        places.resolve(case.arrival_place),
        seen=case.arrival_date.isoformat() if case.arrival_date else None,
    )


def _sex(sex: str | None) -> str | None:
    return None if sex in (None, "unknown") else sex


def _registrations(session: UnitOfWork, tr: Tracing) -> list[CaseRecord]:
    """Cases of every organisation whose consent covers tracing, names decrypted."""
    repository = CaseRepository(session, tr.cipher)
    found = []
    for organisation in OrganisationRepository(session).list():
        assert organisation.id is not None
        for case in repository.of_organisation(organisation.id):
            if case.erased_at is None and case.consent.basis_for(Purpose.TRACING) is not None:
                opened = repository.get_any(case.id, decrypt=_NAMES)
                if opened is not None:
                    found.append(opened)
    return found


def _incidents(session: UnitOfWork) -> list[IncidentRecord]:
    """Current, dated incidents with people dead or missing, in date order."""
    found = [
        i
        for i in MovementQueryRepository(session).iter_incidents()
        if i.date is not None and not i.superseded and (i.dead or 0) + (i.missing or 0) > 0
    ]
    return sorted(found, key=lambda i: (i.date, i.id))


def _events(
    persons: list[tuple[str, int, SoughtPerson]],
    incidents: list[IncidentRecord],
    threshold: float,
    today: date,
) -> list[NewCandidate]:
    """Dead-and-missing events that may concern each person (scored in the window after the
    last sighting only: incidents are sorted by date)."""
    dates = [i.date for i in incidents if i.date is not None]
    found: list[NewCandidate] = []
    for _, _, person in persons:
        if person.last_seen_date is None or person.id is None:
            continue
        place = to_latin(person.last_seen_place) if person.last_seen_place else None
        start = bisect.bisect_left(dates, person.last_seen_date - timedelta(days=7))
        end = bisect.bisect_right(dates, person.last_seen_date + timedelta(days=365))
        for incident in incidents[start:end]:
            scored = score_event(person, incident, place)
            if scored is not None and scored[0] >= threshold:
                reference = f"mm:{incident.source}:{incident.record_id}"[:64]
                found.append(
                    (
                        person.id,
                        CandidateKind.DEAD_AND_MISSING_EVENT,
                        reference,
                        None,
                        scored[0],
                        scored[1],
                        person.is_child(today),
                    )
                )
    return found


def run_match(
    tr: Tracing, actor: Actor, *, threshold: float = DEFAULT_THRESHOLD, origin: str | None = None
) -> MatchReport:
    require(actor, Action.RUN_TRACING_MATCH)
    if not 0 < threshold < 1:
        raise ValueError("the threshold is a probability between 0 and 1")
    with tr.db.transaction() as session:
        persons = list(TracingRequestRepository(session, tr.cipher).persons(decrypt=True))
        cases = _registrations(session, tr)
        incidents = _incidents(session)
        dictionary = dictionary_for_run(session, tr)
        routes = RouteRepository(session)
        legs = [(leg.from_place, leg.to_place) for r in routes.list() for leg in r.legs]
        places = PlaceIndex(routes.places().values(), legs)
    owner = {f"p:{p.id}": (request, org, p) for request, org, p in persons}
    case_org = {f"c:{c.id}": c.organisation_id for c in cases}
    with collection_paused():
        records = [_person_record(p, dictionary, places) for _, _, p in persons]
        records += [_case_record(c, dictionary, places) for c in cases]
    del cases  # the names leave memory with the run
    with objects_frozen():
        result = tr.engine.link(records, threshold)
    version = f"{result.model_version}+{transliterator_name()}"
    today = tr.now().date()
    found: list[NewCandidate] = []
    for pair in result.pairs:
        steps = tuple(ExplanationStep(*step) for step in pair.explanation)
        for this, other in ((pair.left, pair.right), (pair.right, pair.left)):
            if this not in owner:
                continue
            request_id, _, person = owner[this]
            child = person.is_child(today)
            assert person.id is not None
            if other in owner:
                if owner[other][0] == request_id:
                    continue  # two persons of the same request
                reference = f"{owner[other][0]}/{other[2:]}"
                found.append(
                    (
                        person.id,
                        CandidateKind.TRACING_REQUEST,
                        reference,
                        owner[other][1],
                        pair.probability,
                        steps,
                        child,
                    )
                )
            else:
                found.append(
                    (
                        person.id,
                        CandidateKind.REGISTRATION,
                        other[2:],
                        case_org[other],
                        pair.probability,
                        steps,
                        child,
                    )
                )
    found += _events(persons, incidents, threshold, today)
    now = tr.now()
    with tr.db.transaction(write=True) as session:
        candidates = CandidateRepository(session)
        added = candidates.save_run(found, version, now)
        if result.parameters:
            candidates.save_model(version, result.parameters, now)
        tr.audit(
            session,
            actor,
            action="tracing.match",
            entity="tracing_run",
            entity_id=version,
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={
                "records": len(records),
                "pairs": len(result.pairs),
                "incidents": len(incidents),
                "new": added,
            },
        )
    log.info(
        "tracing linkage: %s records, %s pairs, %s new", len(records), len(result.pairs), added
    )
    return MatchReport(
        len(persons), len(case_org), len(incidents), len(result.pairs), added, version, threshold
    )
