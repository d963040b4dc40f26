"""The tracing team's page for requests the Digital Gateway handed over: the form that completes
the intake (who the person seeks, their consent) of a request *awaiting intake*. The person's
own words stay in the gateway submission whose tracking code the page shows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as SchemaError

from itinera.domain.access import Action, Actor
from itinera.domain.errors import ItineraError, NotFoundError
from itinera.domain.gateway_codes import display_code
from itinera.domain.tracing import RequestStatus
from itinera.schemas.tracing import TracingRequestIn
from itinera.services.tracing import requests as request_service
from itinera.web.deps import ActorDep, CsrfDep, LanguageDep
from itinera.web.page_access import page_gate, problems_of
from itinera.web.routers.tracing.api import TracingDep, origin_of
from itinera.web.routers.tracing.request_form import form_body, form_choices, schema_problems
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
RequestId = Annotated[str, Path(max_length=20)]


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request, actor, language, Action.REQUEST_TRACING, "not_found.html", what=request.url.path
    )


def _awaiting(tr: Any, actor: Actor, request_id: str) -> Any:
    found = [
        r
        for r in request_service.list_requests(tr, actor, RequestStatus.AWAITING_INTAKE)
        if r.id == request_id
    ]
    if not found:
        raise NotFoundError(f"no tracing request {request_id!r} awaiting intake")
    return found[0]


def _page(
    request: Request, tr: Any, actor: Actor, language: str, request_id: str, **context: Any
) -> Response:
    try:
        pending = _awaiting(tr, actor, request_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=request_id)
    code = pending.gateway_submission
    return render(
        request,
        "tracing/intake.html",
        language,
        pending=pending,
        tracking_code=display_code(code) if code else None,
        form=context.pop("form", {}),
        with_contact=False,  # the contact the person gave the gateway is kept
        **form_choices(tr.db, language),
        problems=context.pop("problems", []),
        **context,
    )


@router.get("/tracing/requests/{request_id}/intake", response_class=HTMLResponse)
def intake_page(
    request: Request, request_id: RequestId, tr: TracingDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return _gate(request, actor, language) or _page(request, tr, actor, language, request_id)


@router.post("/tracing/requests/{request_id}/intake", dependencies=[CsrfDep])
async def intake_form(
    request: Request, request_id: RequestId, tr: TracingDep, actor: ActorDep, language: LanguageDep
) -> Response:
    gate = _gate(request, actor, language)
    if gate:
        return gate
    form = await request.form()
    try:
        data = TracingRequestIn.model_validate(form_body(form)).to_domain()
        await run_in_threadpool(
            request_service.complete_intake, tr, actor, request_id, data, origin=origin_of(request)
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=request_id)
    except (ItineraError, SchemaError) as exc:
        problems = schema_problems(exc) if isinstance(exc, SchemaError) else problems_of(exc)
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        page = await run_in_threadpool(
            _page, request, tr, actor, language, request_id, form=values, problems=problems
        )
        page.status_code = 422
        return page
    return RedirectResponse(f"/tracing?lang={language}", status_code=303)
