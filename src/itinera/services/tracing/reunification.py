"""Before a child's reunification: the family relationship verified and a best-interests step,
each recorded against the confirmed match by the organisation reviewing it, with a note
(encrypted) and in the audit trail. A request closes as *reunited* only when contact started
and, for every child among its confirmed matches, both steps hold."""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.case import Purpose
from itinera.domain.errors import ConflictError
from itinera.domain.tracing import CandidateStatus, Outcome, RequestStatus, TracingRequest
from itinera.domain.tracing_reunification import (
    BestInterests,
    ReunificationStep,
    StepRecord,
    VerificationMethod,
    missing_steps,
)
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.review import load_reviewable
from itinera.storage.database import UnitOfWork
from itinera.storage.tracing.candidate_repository import CandidateRepository
from itinera.storage.tracing.reunification_repository import ReunificationRepository

__all__ = [
    "check_reunification",
    "record_best_interests",
    "recorded_steps",
    "verify_relationship",
]


def _record(
    tr: Tracing,
    actor: Actor,
    candidate_id: int,
    step: ReunificationStep,
    finding: str,
    note: str | None,
    origin: str | None,
) -> None:
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction(write=True) as session:
        candidate = load_reviewable(session, tr, actor, candidate_id)
        if candidate.status is not CandidateStatus.CONFIRMED:
            raise ConflictError(
                "the steps before reunification follow a confirmed match only",
                hint="decide on the candidate first",
            )
        if not candidate.child:
            raise ConflictError("these steps are recorded for a child's reunification")
        ReunificationRepository(session, tr.cipher).add(
            candidate_id, step, finding, (note or "").strip() or None, actor.username[:64], tr.now()
        )
        tr.audit(
            session,
            actor,
            action="tracing.reunification_step",
            entity="tracing_candidate",
            entity_id=str(candidate_id),
            purpose=Purpose.TRACING.value,
            origin=origin,
            detail={"step": step.value, "finding": finding},
        )


def verify_relationship(
    tr: Tracing,
    actor: Actor,
    candidate_id: int,
    method: VerificationMethod,
    note: str | None = None,
    *,
    origin: str | None = None,
) -> None:
    """Record that the family relationship of a child's confirmed match was verified, and how."""
    _record(
        tr, actor, candidate_id, ReunificationStep.RELATIONSHIP_VERIFIED, method.value, note, origin
    )


def record_best_interests(
    tr: Tracing,
    actor: Actor,
    candidate_id: int,
    conclusion: BestInterests,
    note: str | None = None,
    *,
    origin: str | None = None,
) -> None:
    """Record a best-interests step's conclusion; the latest one counts."""
    _record(
        tr, actor, candidate_id, ReunificationStep.BEST_INTERESTS, conclusion.value, note, origin
    )


def recorded_steps(
    tr: Tracing, actor: Actor, candidate_id: int, *, origin: str | None = None
) -> list[StepRecord]:
    """The steps recorded for a candidate, notes decrypted for its reviewers (audited)."""
    require(actor, Action.REVIEW_TRACING)
    with tr.db.transaction(write=True) as session:
        load_reviewable(session, tr, actor, candidate_id)
        steps = ReunificationRepository(session, tr.cipher).of_candidate(candidate_id, decrypt=True)
        if steps:
            tr.audit(
                session,
                actor,
                action="tracing.reunification_steps",
                entity="tracing_candidate",
                entity_id=str(candidate_id),
                purpose=Purpose.TRACING.value,
                origin=origin,
                detail={"steps": len(steps)},
            )
    return steps


def check_reunification(session: UnitOfWork, tr: Tracing, request: TracingRequest) -> None:
    """Refuse *reunited* unless contact started and every confirmed child match has its steps."""
    if request.status is not RequestStatus.CONTACT_STARTED:
        raise ConflictError(
            f"a request closes as {Outcome.REUNITED.value!r} only after contact started",
            hint="confirm the match, record the sought person's consent, then start contact",
        )
    steps = ReunificationRepository(session, tr.cipher)
    for candidate in CandidateRepository(session).of_request(request.id):
        if candidate.status is CandidateStatus.CONFIRMED and candidate.child:
            missing = missing_steps(steps.of_candidate(candidate.id, decrypt=False))
            if missing:
                raise ConflictError(
                    "a child's reunification waits for: " + ", ".join(m.value for m in missing),
                    hint="record the verified relationship and a best-interests step "
                    "that concludes reunification is in the child's best interests",
                )
