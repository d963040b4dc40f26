"""Pages of the tracing team for its own requests (C10): the list (urgent first, nothing
decrypted), the form that records a new request, and closing one with its outcome. The same
services as the API, so the same access rules, checks and audit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as SchemaError

from itinera.domain.access import Action, Actor, can
from itinera.domain.errors import ItineraError, NotFoundError
from itinera.domain.tracing import Outcome, RequestStatus
from itinera.schemas.tracing import TracingRequestIn
from itinera.services.tracing import requests as request_service
from itinera.services.tracing import review as review_service
from itinera.services.tracing.pair import latin_of
from itinera.web.deps import ActorDep, CsrfDep, LanguageDep
from itinera.web.page_access import page_gate, problems_of
from itinera.web.routers.tracing.api import TracingDep, origin_of
from itinera.web.routers.tracing.intake_pages import RequestId
from itinera.web.routers.tracing.request_form import form_body, form_choices, schema_problems
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request, actor, language, Action.REQUEST_TRACING, "not_found.html", what=request.url.path
    )


def _list(
    request: Request, tr: Any, actor: Actor, language: str, status_code: int = 200, **context: Any
) -> Response:
    found = request_service.list_requests(tr, actor)
    found.sort(key=lambda r: (r.status is RequestStatus.CLOSED, not r.medical_urgency))
    return render(
        request,
        "tracing/requests.html",
        language,
        status_code=status_code,
        requests=found,
        outcomes=[o.value for o in Outcome],
        may_close=can(actor, Action.REVIEW_TRACING),
        problems=context.pop("problems", []),
        **context,
    )


@router.get("/tracing/requests", response_class=HTMLResponse, response_model=None)
def requests_page(
    request: Request, tr: TracingDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return _gate(request, actor, language) or _list(request, tr, actor, language)


def _new(
    request: Request, tr: Any, language: str, status_code: int = 200, **context: Any
) -> Response:
    return render(
        request,
        "tracing/new.html",
        language,
        status_code=status_code,
        form=context.pop("form", {}),
        problems=context.pop("problems", []),
        with_contact=True,
        **form_choices(tr.db, language),
    )


@router.get("/tracing/requests/new", response_class=HTMLResponse, response_model=None)
def new_page(request: Request, tr: TracingDep, actor: ActorDep, language: LanguageDep) -> Response:
    return _gate(request, actor, language) or _new(request, tr, language)


@router.post("/tracing/requests/new", dependencies=[CsrfDep])
async def new_form(
    request: Request, tr: TracingDep, actor: ActorDep, language: LanguageDep
) -> Response:
    gate = _gate(request, actor, language)
    if gate:
        return gate
    form = await request.form()
    try:
        data = TracingRequestIn.model_validate(form_body(form)).to_domain()
        await run_in_threadpool(
            request_service.create_request, tr, actor, data, origin=origin_of(request)
        )
    except (ItineraError, SchemaError) as exc:
        problems = schema_problems(exc) if isinstance(exc, SchemaError) else problems_of(exc)
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        return await run_in_threadpool(
            _new, request, tr, language, 422, form=values, problems=problems
        )
    return RedirectResponse(f"/tracing/requests?lang={language}", status_code=303)


@router.post("/tracing/requests/{request_id}/outcome", dependencies=[CsrfDep])
async def outcome_form(
    request: Request, request_id: RequestId, tr: TracingDep, actor: ActorDep, language: LanguageDep
) -> Response:
    gate = _gate(request, actor, language)
    if gate:
        return gate
    form = await request.form()
    try:
        outcome = Outcome(str(form.get("outcome", "")))
        await run_in_threadpool(
            request_service.close_request, tr, actor, request_id, outcome, origin=origin_of(request)
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=request_id)
    except (ItineraError, ValueError) as exc:
        problems = (
            problems_of(exc)
            if isinstance(exc, ItineraError)
            else [{"field": "outcome", "message": "choose an outcome"}]
        )
        return await run_in_threadpool(
            _list, request, tr, actor, language, 409, problems=problems, failed=request_id
        )
    return RedirectResponse(f"/tracing/requests?lang={language}", status_code=303)


@router.get("/tracing/requests/{request_id}", response_class=HTMLResponse, response_model=None)
def request_page(
    request: Request, request_id: RequestId, tr: TracingDep, actor: ActorDep, language: LanguageDep
) -> Response:
    """One request in full for its organisation's tracing team (the read is audited), with its
    candidates as that team may see them."""
    gate = _gate(request, actor, language)
    if gate:
        return gate
    try:
        found = request_service.get_request(tr, actor, request_id, origin=origin_of(request))
        candidates = []
        if can(actor, Action.REVIEW_TRACING):
            candidates = review_service.candidates_of_request(
                tr, actor, request_id, origin=origin_of(request)
            )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=request_id)
    routes = dict(form_choices(tr.db, language)["routes"])
    return render(
        request,
        "tracing/request.html",
        language,
        found=found,
        candidates=candidates,
        routes=routes,
        latin=latin_of,
    )
