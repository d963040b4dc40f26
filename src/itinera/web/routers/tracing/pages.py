"""Pages of the tracing team (C10): the review queue in likelihood bands, one candidate pair
side by side with its explanation, and the decision, consent and contact forms (CSRF-protected).
The same services as the API: the same need-to-know view, the same audit."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.domain.access import Action, Actor, can
from itinera.domain.errors import ItineraError, NotFoundError
from itinera.domain.tracing import Band, CandidateStatus, Decision, RequestStatus
from itinera.domain.tracing_reunification import BestInterests, VerificationMethod, missing_steps
from itinera.services.tracing import pair as pair_service
from itinera.services.tracing import requests as request_service
from itinera.services.tracing import review as review_service
from itinera.services.tracing.reunification import (
    record_best_interests,
    recorded_steps,
    verify_relationship,
)
from itinera.web.deps import ActorDep, CsrfDep, LanguageDep
from itinera.web.page_access import page_gate, problems_of
from itinera.web.routers.tracing.api import TracingDep, origin_of
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CandidateId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request, actor, language, Action.REVIEW_TRACING, "not_found.html", what=request.url.path
    )


@router.get("/tracing", response_class=HTMLResponse, response_model=None)
def queue_page(
    request: Request, tr: TracingDep, actor: ActorDep, language: LanguageDep
) -> Response:
    gate = _gate(request, actor, language)
    if gate:
        return gate
    queue = review_service.review_queue(tr, actor)
    bands = {band.value: [c for c in queue if c.band is band] for band in Band}
    awaiting = []  # handed over by the Digital Gateway, for whoever records requests
    if can(actor, Action.REQUEST_TRACING):
        awaiting = request_service.list_requests(tr, actor, RequestStatus.AWAITING_INTAKE)
    return render(request, "tracing/queue.html", language, bands=bands, awaiting=awaiting)


def _page(
    request: Request, tr: Any, actor: Actor, language: str, candidate_id: int, **context: Any
) -> Response:
    try:
        view = pair_service.side_by_side(tr, actor, candidate_id, origin=origin_of(request))
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=candidate_id)
    candidate = view.candidate
    steps = []
    if candidate.child and candidate.status is CandidateStatus.CONFIRMED:
        steps = recorded_steps(tr, actor, candidate_id, origin=origin_of(request))
    return render(
        request,
        "tracing/candidate.html",
        language,
        view=view,
        decisions=[d.value for d in Decision],
        steps=steps,
        missing=[m.value for m in missing_steps(steps)],
        methods=[m.value for m in VerificationMethod],
        conclusions=[b.value for b in BestInterests],
        problems=context.pop("problems", []),
        **context,
    )


@router.get("/tracing/candidates/{candidate_id}", response_class=HTMLResponse, response_model=None)
def candidate_page(
    request: Request,
    candidate_id: CandidateId,
    tr: TracingDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    return _gate(request, actor, language) or _page(request, tr, actor, language, candidate_id)


async def _act(
    request: Request, tr: Any, actor: Actor, language: str, candidate_id: int, action: str
) -> Response:
    gate = _gate(request, actor, language)
    if gate:
        return gate
    form = await request.form()
    try:
        if action == "decision":
            await run_in_threadpool(
                review_service.decide,
                tr,
                actor,
                candidate_id,
                Decision(str(form.get("decision", ""))),
                str(form.get("reason", ""))[:500],
                origin=origin_of(request),
            )
        elif action in ("relationship", "best-interests"):
            note = str(form.get("note", ""))[:1000]
            finding = str(form.get("finding", ""))
            if action == "relationship":
                record: Any = partial(verify_relationship, method=VerificationMethod(finding))
            else:
                record = partial(record_best_interests, conclusion=BestInterests(finding))
            await run_in_threadpool(
                record, tr, actor, candidate_id, note=note, origin=origin_of(request)
            )
        elif action == "consent":
            await run_in_threadpool(
                review_service.record_contact_consent,
                tr,
                actor,
                candidate_id,
                origin=origin_of(request),
            )
        else:
            await run_in_threadpool(
                review_service.start_contact, tr, actor, candidate_id, origin=origin_of(request)
            )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=candidate_id)
    except (ItineraError, ValueError) as exc:
        problems = (
            problems_of(exc)
            if isinstance(exc, ItineraError)
            else [{"field": action, "message": "choose one of the answers offered"}]
        )
        page = await run_in_threadpool(
            _page, request, tr, actor, language, candidate_id, problems=problems
        )
        page.status_code = 409
        return page
    return RedirectResponse(f"/tracing/candidates/{candidate_id}?lang={language}", status_code=303)


CandidateAction = Literal["decision", "consent", "contact", "relationship", "best-interests"]


@router.post("/tracing/candidates/{candidate_id}/{action}", dependencies=[CsrfDep])
async def candidate_form(
    request: Request,
    candidate_id: CandidateId,
    action: CandidateAction,
    tr: TracingDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    """The decision, consent, contact and reunification-step forms of the candidate page."""
    return await _act(request, tr, actor, language, candidate_id, action)
