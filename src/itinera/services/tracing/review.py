"""Candidates and their review: who sees what, decisions, the sought person's consent, contact.

- The requesting organisation sees its candidates with probability and explanation; a
  candidate record held by another organisation shows only a notice naming that organisation's
  tracing focal point, never the record.
- The organisation holding the candidate record reviews it (or the requesting organisation for
  its own records): match, not a match, or need more information, with a reason. A child's
  match needs a second reviewer. Every view and decision is audited.
- Contact starts only from a confirmed match and after the sought person's consent.
"""

from __future__ import annotations

from dataclasses import dataclass

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import Purpose
from itinera.domain.errors import ConflictError, NotFoundError, ValidationError
from itinera.domain.tracing import Candidate, CandidateStatus, Decision, RequestStatus
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.learning import teach
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.database import UnitOfWork
from itinera.storage.tracing.candidate_repository import CandidateRepository
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = [
    "CandidateView",
    "candidates_of_request",
    "decide",
    "load_reviewable",
    "record_contact_consent",
    "review_queue",
    "start_contact",
]

_OPEN = (
    CandidateStatus.PENDING,
    CandidateStatus.AWAITING_SECOND_REVIEW,
    CandidateStatus.MORE_INFORMATION,
)


@dataclass(frozen=True)
class CandidateView:
    """A candidate as one reader may see it: ``reference`` is None when held elsewhere."""

    candidate: Candidate
    reference: str | None
    held_by: str | None  # the other organisation's name, when the record is held elsewhere


def _organisation_name(session: UnitOfWork, organisation_id: int | None) -> str | None:
    if organisation_id is None:
        return None
    organisation = OrganisationRepository(session).get(organisation_id)
    return organisation.name if organisation else None


def candidates_of_request(
    tr: Tracing, actor: Actor, request_id: str, *, origin: str | None = None
) -> list[CandidateView]:
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction(write=True) as session:
        request = TracingRequestRepository(session, tr.cipher).get(request_id, decrypt=False)
        if request is None or request.organisation_id != actor.organisation_id:
            raise NotFoundError(f"no tracing request {request_id!r}", hint="check the number")
        views = []
        for candidate in CandidateRepository(session).of_request(request_id):
            if candidate.status is CandidateStatus.REJECTED:
                continue
            elsewhere = candidate.organisation_id not in (None, actor.organisation_id)
            views.append(
                CandidateView(
                    candidate,
                    None if elsewhere else candidate.reference,
                    _organisation_name(session, candidate.organisation_id) if elsewhere else None,
                )
            )
        tr.audit(
            session,
            actor,
            action="tracing.candidates",
            entity="tracing_request",
            entity_id=request_id,
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={"candidates": len(views)},
        )
    return views


def _reviewable(candidate: Candidate, request_organisation: int, actor: Actor) -> bool:
    holder = candidate.organisation_id
    return actor.organisation_id == (request_organisation if holder is None else holder)


def review_queue(tr: Tracing, actor: Actor) -> list[Candidate]:
    """Candidates the actor's organisation is to review, likely band first."""
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction() as session:
        requests = TracingRequestRepository(session, tr.cipher)
        queue = []
        for candidate in CandidateRepository(session).queue(_OPEN):
            request = requests.get(candidate.request_id, decrypt=False)
            if request and _reviewable(candidate, request.organisation_id, actor):
                queue.append(candidate)
    return queue


def load_reviewable(session: UnitOfWork, tr: Tracing, actor: Actor, candidate_id: int) -> Candidate:
    candidate = CandidateRepository(session, tr.cipher).get(candidate_id)
    request = None
    if candidate is not None:
        request = TracingRequestRepository(session, tr.cipher).get(
            candidate.request_id, decrypt=False
        )
    if (
        candidate is None
        or request is None
        or not _reviewable(candidate, request.organisation_id, actor)
    ):
        raise NotFoundError(f"no candidate {candidate_id}", hint="check the number")
    return candidate


def decide(
    tr: Tracing,
    actor: Actor,
    candidate_id: int,
    decision: Decision,
    reason: str,
    *,
    origin: str | None = None,
) -> Candidate:
    require(actor, Action.REVIEW_TRACING)
    if not reason.strip():
        raise ValidationError.single("reason", "a decision needs its reason")
    now = tr.now()
    with tr.db.transaction(write=True) as session:
        candidate = load_reviewable(session, tr, actor, candidate_id)
        if candidate.status in (CandidateStatus.CONFIRMED, CandidateStatus.REJECTED):
            raise ConflictError("this candidate was already decided")
        repository = CandidateRepository(session, tr.cipher)
        earlier = [r for r in candidate.reviews if r.decision is Decision.MATCH]
        if decision is Decision.MATCH:
            if candidate.child and not earlier:
                status = CandidateStatus.AWAITING_SECOND_REVIEW
            elif candidate.child and any(r.reviewer == actor.username for r in earlier):
                raise ConflictError("a child's match needs a second, different reviewer")
            else:
                status = CandidateStatus.CONFIRMED
        elif decision is Decision.NOT_A_MATCH:
            status = CandidateStatus.REJECTED
        else:
            status = CandidateStatus.MORE_INFORMATION
        repository.add_review(candidate_id, decision, reason, actor.username[:64], now)
        repository.set_status(candidate_id, status, now)
        taught = 0
        if status is CandidateStatus.CONFIRMED:
            TracingRequestRepository(session, tr.cipher).set_status(
                candidate.request_id, RequestStatus.CONTACT_PENDING_CONSENT, now
            )
            taught = teach(session, tr, candidate)
        tr.audit(
            session,
            actor,
            action="tracing.decide",
            entity="tracing_candidate",
            entity_id=str(candidate_id),
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={"decision": decision.value, "status": status.value, "taught": taught},
        )
        updated = repository.get(candidate_id)
    assert updated is not None
    return updated


def record_contact_consent(
    tr: Tracing, actor: Actor, candidate_id: int, *, origin: str | None = None
) -> None:
    """The sought person agreed that the inquirer be told and contact start."""
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction(write=True) as session:
        candidate = load_reviewable(session, tr, actor, candidate_id)
        if candidate.status is not CandidateStatus.CONFIRMED:
            raise ConflictError("consent to contact follows a confirmed match only")
        CandidateRepository(session).record_contact_consent(
            candidate_id, actor.username[:64], tr.now()
        )
        tr.audit(
            session,
            actor,
            action="tracing.contact_consent",
            entity="tracing_candidate",
            entity_id=str(candidate_id),
            purpose=Purpose.TRACING.value,
            origin=origin,
        )


def start_contact(
    tr: Tracing, actor: Actor, candidate_id: int, *, origin: str | None = None
) -> None:
    """Start contact: refused before a confirmed match and the sought person's consent."""
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction(write=True) as session:
        candidate = load_reviewable(session, tr, actor, candidate_id)
        if candidate.status is not CandidateStatus.CONFIRMED:
            raise ConflictError("contact starts only from a confirmed match")
        if not CandidateRepository(session).contact_consented(candidate_id):
            raise ConflictError(
                "the sought person has not consented to contact",
                hint="record the sought person's consent first",
            )
        TracingRequestRepository(session, tr.cipher).set_status(
            candidate.request_id, RequestStatus.CONTACT_STARTED, tr.now()
        )
        tr.audit(
            session,
            actor,
            action="tracing.contact",
            entity="tracing_candidate",
            entity_id=str(candidate_id),
            purpose=Purpose.TRACING.value,
            origin=origin,
        )
