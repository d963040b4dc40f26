"""The side-by-side view of one candidate pair for its reviewer (the read is audited)."""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import Purpose
from itinera.domain.case_record import CaseRecord
from itinera.domain.errors import NotFoundError
from itinera.domain.movement_records import IncidentRecord
from itinera.domain.tracing import Candidate, CandidateKind, SoughtPerson
from itinera.domain.tracing_view import PairSide, SideBySide
from itinera.engines.names import to_latin
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.review import load_reviewable
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.database import UnitOfWork
from itinera.storage.movements.query_repository import MovementQueryRepository
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["latin_of", "side_by_side"]

_NAMES = frozenset({"given_name", "family_name", "date_of_birth"})


def latin_of(name: str) -> str:
    """A name in Latin script, as reviewers see it beside the name as given."""
    return to_latin(name)


def _names(*names: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((n, latin_of(n)) for n in names if n)


def _person_side(kind: str, reference: str, person: SoughtPerson) -> PairSide:
    birth = person.date_of_birth.isoformat() if person.date_of_birth else None
    return PairSide(
        kind,
        reference,
        _names(
            person.given_name,
            *person.name_parts,
            person.family_name,
            person.father_name,
            *person.other_spellings,
        ),
        person.sex.value,
        birth or (str(person.birth_year) if person.birth_year else None),
        person.nationality,
    )


def _case_side(case: CaseRecord) -> PairSide:
    birth = case.date_of_birth.isoformat() if case.date_of_birth else None
    return PairSide(
        CandidateKind.REGISTRATION.value,
        case.id,
        _names(case.given_name, case.family_name),
        case.sex,
        birth,
        case.nationality,
    )


def _event_side(reference: str, incident: IncidentRecord) -> PairSide:
    facts = [
        ("date", incident.date.isoformat() if incident.date else "—"),
        ("location", incident.location or "—"),
        ("dead", str(incident.dead or 0)),
        ("missing", str(incident.missing or 0)),
        ("origins", ", ".join(incident.origins) or "—"),
    ]
    return PairSide(
        CandidateKind.DEAD_AND_MISSING_EVENT.value, reference, (), None, None, None, tuple(facts)
    )


def _other(session: UnitOfWork, tr: Tracing, candidate: Candidate) -> PairSide:
    if candidate.kind is CandidateKind.REGISTRATION:
        case = CaseRepository(session, tr.cipher).get_any(candidate.reference, decrypt=_NAMES)
        if case is not None:
            return _case_side(case)
    elif candidate.kind is CandidateKind.TRACING_REQUEST:
        person_id = int(candidate.reference.rsplit("/", 1)[1])
        found = TracingRequestRepository(session, tr.cipher).person(person_id)
        if found is not None:
            return _person_side(candidate.kind.value, candidate.reference, found[2])
    else:
        _, source, record_id = candidate.reference.split(":", 2)
        for incident in MovementQueryRepository(session).iter_incidents(source=source):
            if incident.record_id == record_id and not incident.superseded:
                return _event_side(candidate.reference, incident)
    raise NotFoundError(f"the record of candidate {candidate.id} is gone")


def side_by_side(
    tr: Tracing, actor: Actor, candidate_id: int, *, origin: str | None = None
) -> SideBySide:
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction(write=True) as session:
        candidate = load_reviewable(session, tr, actor, candidate_id)
        found = TracingRequestRepository(session, tr.cipher).person(candidate.person_id)
        if found is None:
            raise NotFoundError(f"no candidate {candidate_id}", hint="check the number")
        sought = _person_side("sought person", candidate.request_id, found[2])
        view = SideBySide(candidate, sought, _other(session, tr, candidate))
        tr.audit(
            session,
            actor,
            action="tracing.view_pair",
            entity="tracing_candidate",
            entity_id=str(candidate_id),
            purpose=Purpose.TRACING.value,
            origin=origin,
        )
    return view
