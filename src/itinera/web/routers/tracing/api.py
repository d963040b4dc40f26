"""JSON API of tracing (C10). Thin: parse, call a service, answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from itinera.domain.tracing import CandidateKind, Decision, RequestStatus
from itinera.schemas.jobs import JobOut
from itinera.schemas.tracing import (
    BestInterestsIn,
    CandidateOut,
    DecisionIn,
    ExplanationOut,
    OutcomeFiguresOut,
    OutcomeIn,
    RelationshipVerificationIn,
    TracingRequestDetailOut,
    TracingRequestIn,
    TracingRequestOut,
)
from itinera.services.accounts import audit
from itinera.services.tracing import requests as request_service
from itinera.services.tracing import review as review_service
from itinera.services.tracing.context import Tracing
from itinera.services.tracing.match_job import submit_match
from itinera.services.tracing.matching import DEFAULT_THRESHOLD
from itinera.services.tracing.outcomes import route_outcomes
from itinera.services.tracing.reunification import record_best_interests, verify_relationship
from itinera.services.tracing.review import CandidateView
from itinera.web.deps import ActorDep, CipherDep, DatabaseDep, SettingsDep
from itinera.web.jobs import accepted

__all__ = ["router"]

router = APIRouter(prefix="/api/tracing", tags=["tracing (restoring family links)"])

RequestId = Annotated[str, Path(max_length=20, description="request number, e.g. T-…")]
CandidateId = Annotated[int, Path(ge=1, le=2**31 - 1, description="candidate number")]


def tracing(request: Request, db: DatabaseDep, cipher: CipherDep) -> Tracing:
    existing: Tracing | None = getattr(request.app.state, "tracing", None)
    if existing is None:
        existing = request.app.state.tracing = Tracing(db, cipher, audit.record)
    return existing


TracingDep = Annotated[Tracing, Depends(tracing)]


def origin_of(request: Request) -> str | None:
    """The client address the audit trail records (None behind a transport without one)."""
    return request.client.host if request.client else None


def candidate_out(view: CandidateView) -> CandidateOut:
    candidate = view.candidate
    notice = None
    if view.held_by is not None:
        notice = f"possible match — contact the tracing focal point of {view.held_by}"
    if candidate.kind is CandidateKind.DEAD_AND_MISSING_EVENT:
        notice = "a dead-and-missing event, not an identity"
    return CandidateOut(
        id=candidate.id,
        kind=candidate.kind.value,
        probability=round(candidate.probability, 6),
        band=candidate.band.value,
        reference=view.reference,
        notice=notice,
        status=candidate.status.value,
        model_version=candidate.model_version,
        explanation=[
            ExplanationOut(comparison=s.comparison, level=s.level, weight=s.weight)
            for s in candidate.explanation
        ],
    )


@router.post("/requests", status_code=201, summary="Record a tracing request (names encrypted)")
def create_request(
    body: TracingRequestIn, request: Request, tr: TracingDep, actor: ActorDep
) -> TracingRequestOut:
    created = request_service.create_request(tr, actor, body.to_domain(), origin=origin_of(request))
    return TracingRequestOut.of(created)


@router.get("/requests", summary="The organisation's tracing requests (nothing decrypted)")
def list_requests(
    tr: TracingDep,
    actor: ActorDep,
    status: Annotated[
        RequestStatus | None,
        Query(description="only these, e.g. 'awaiting intake' (handed over by the gateway)"),
    ] = None,
) -> list[TracingRequestOut]:
    found = request_service.list_requests(tr, actor, status)
    return [TracingRequestOut.of(r) for r in found]


@router.post(
    "/requests/{request_id}/intake",
    summary="Complete the intake of a request handed over by the gateway (persons, consent)",
)
def complete_intake(
    request_id: RequestId,
    body: TracingRequestIn,
    request: Request,
    tr: TracingDep,
    actor: ActorDep,
) -> TracingRequestOut:
    completed = request_service.complete_intake(
        tr, actor, request_id, body.to_domain(), origin=origin_of(request)
    )
    return TracingRequestOut.of(completed)


@router.get("/requests/{request_id}", summary="One request, decrypted for its organisation")
def read_request(
    request_id: RequestId, request: Request, tr: TracingDep, actor: ActorDep
) -> TracingRequestDetailOut:
    found = request_service.get_request(tr, actor, request_id, origin=origin_of(request))
    return TracingRequestDetailOut.of_detail(found)


@router.get("/requests/{request_id}/candidates", summary="Candidates of a request, explained")
def candidates(
    request_id: RequestId, request: Request, tr: TracingDep, actor: ActorDep
) -> list[CandidateOut]:
    views = review_service.candidates_of_request(tr, actor, request_id, origin=origin_of(request))
    return [candidate_out(v) for v in views]


@router.get("/review", summary="Candidates your organisation is to review")
def review_queue(tr: TracingDep, actor: ActorDep) -> list[CandidateOut]:
    queue = review_service.review_queue(tr, actor)
    return [candidate_out(CandidateView(c, c.reference, None)) for c in queue]


@router.post("/candidates/{candidate_id}/decision", summary="Decide on a candidate, with reason")
def decide(
    candidate_id: CandidateId, body: DecisionIn, request: Request, tr: TracingDep, actor: ActorDep
) -> CandidateOut:
    updated = review_service.decide(
        tr, actor, candidate_id, Decision(body.decision), body.reason, origin=origin_of(request)
    )
    return candidate_out(CandidateView(updated, updated.reference, None))


@router.post(
    "/candidates/{candidate_id}/contact-consent",
    status_code=204,
    summary="Record the sought person's consent to contact",
)
def contact_consent(
    candidate_id: CandidateId, request: Request, tr: TracingDep, actor: ActorDep
) -> Response:
    review_service.record_contact_consent(tr, actor, candidate_id, origin=origin_of(request))
    return Response(status_code=204)


@router.post("/candidates/{candidate_id}/contact", status_code=204, summary="Start contact")
def contact(
    candidate_id: CandidateId, request: Request, tr: TracingDep, actor: ActorDep
) -> Response:
    review_service.start_contact(tr, actor, candidate_id, origin=origin_of(request))
    return Response(status_code=204)


@router.post("/requests/{request_id}/outcome", status_code=204, summary="Close with an outcome")
def close(
    request_id: RequestId, body: OutcomeIn, request: Request, tr: TracingDep, actor: ActorDep
) -> Response:
    request_service.close_request(tr, actor, request_id, body.outcome, origin=origin_of(request))
    return Response(status_code=204)


@router.post(
    "/candidates/{candidate_id}/relationship-verification",
    status_code=204,
    summary="A child's confirmed match: record that the family relationship was verified",
)
def relationship_verification(
    candidate_id: CandidateId,
    body: RelationshipVerificationIn,
    request: Request,
    tr: TracingDep,
    actor: ActorDep,
) -> Response:
    verify_relationship(tr, actor, candidate_id, body.method, body.note, origin=origin_of(request))
    return Response(status_code=204)


@router.post(
    "/candidates/{candidate_id}/best-interests",
    status_code=204,
    summary="A child's confirmed match: record a best-interests step (the latest counts)",
)
def best_interests(
    candidate_id: CandidateId,
    body: BestInterestsIn,
    request: Request,
    tr: TracingDep,
    actor: ActorDep,
) -> Response:
    record_best_interests(
        tr, actor, candidate_id, body.conclusion, body.note, origin=origin_of(request)
    )
    return Response(status_code=204)


@router.get("/outcomes", summary="Outcomes of closed requests per route, anonymised")
def outcomes(tr: TracingDep, actor: ActorDep, settings: SettingsDep) -> OutcomeFiguresOut:
    figures = route_outcomes(tr.db, actor, settings.analytics_suppression_threshold)
    return OutcomeFiguresOut.of(figures)


@router.post(
    "/match",
    status_code=202,
    response_model=None,
    responses={202: {"model": JobOut, "description": "the linkage job (see `Location`)"}},
    summary="Run the linkage as a job: counts in its result, candidates through the review",
)
def match(
    db: DatabaseDep,
    actor: ActorDep,
    settings: SettingsDep,
    threshold: Annotated[float, Query(gt=0, lt=1)] = DEFAULT_THRESHOLD,
) -> Response:
    return accepted(submit_match(db, actor, settings, threshold=threshold))
