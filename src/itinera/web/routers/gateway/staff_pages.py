"""Staff pages of the gateway's queue: the open list (or the restricted one for focal points),
one submission with its answers, and the answer form (public answer or internal note).

Thin: the services check permissions (and hide restricted items from everyone but the focal
points); these pages log in first and render what the services return.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from itinera.domain.access import Actor
from itinera.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from itinera.domain.gateway import is_overdue
from itinera.domain.gateway_codes import display_code
from itinera.services.gateway import queue as queue_service
from itinera.web.deps import ActorDep, CsrfDep, LanguageDep
from itinera.web.routers.gateway.api import GatewayDep
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
TrackingCode = Annotated[str, Path(max_length=64)]


def _login_first(request: Request, actor: Actor, language: str) -> Response | None:
    if actor.user_id is None:
        return RedirectResponse(f"/login?lang={language}&next={request.url.path}", status_code=303)
    return None


def _forbidden(request: Request, language: str, what: str) -> Response:
    return render(request, "not_found.html", language, status_code=404, what=what)


@router.get("/gateway/queue", response_class=HTMLResponse, response_model=None)
def queue_page(
    request: Request,
    gw: GatewayDep,
    actor: ActorDep,
    language: LanguageDep,
    restricted: Annotated[bool, Query()] = False,
    overdue: Annotated[bool, Query()] = False,
) -> Response:
    gate = _login_first(request, actor, language)
    if gate:
        return gate
    try:
        found = queue_service.queue(gw, actor, overdue_only=overdue, restricted=restricted)
    except PermissionDeniedError:
        return render(request, "not_found.html", language, status_code=403, what="/gateway")
    now = gw.now()
    items = [(s, display_code(s.tracking_code), is_overdue(s, now)) for s in found]
    return render(
        request,
        "gateway/queue.html",
        language,
        items=items,
        restricted=restricted,
        overdue=overdue,
        focal=queue_service.is_focal_point(gw, actor),
    )


def _submission_page(
    request: Request, gw: Any, actor: Actor, language: str, code: str, **context: Any
) -> Response:
    try:
        found = queue_service.open_submission(gw, actor, code)
    except (NotFoundError, PermissionDeniedError):
        return _forbidden(request, language, code[:20])
    return render(
        request,
        "gateway/submission.html",
        language,
        status_code=context.pop("status_code", 200),
        submission=found,
        code=display_code(found.tracking_code),
        overdue=is_overdue(found, gw.now()),
        **context,
    )


@router.get("/gateway/queue/{code}", response_class=HTMLResponse, response_model=None)
def submission_page(
    request: Request, code: TrackingCode, gw: GatewayDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return _login_first(request, actor, language) or _submission_page(
        request, gw, actor, language, code, problem=None
    )


@router.post("/gateway/queue/{code}/answers", dependencies=[CsrfDep], response_model=None)
async def answer_form(
    request: Request, code: TrackingCode, gw: GatewayDep, actor: ActorDep, language: LanguageDep
) -> Response:
    gate = _login_first(request, actor, language)
    if gate:
        return gate
    form = await request.form()
    body = str(form.get("body", ""))
    public = form.get("note") != "on"
    template = form.get("template") == "on"
    try:
        await run_in_threadpool(
            queue_service.answer, gw, actor, code, body, language, public=public, template=template
        )
    except (NotFoundError, PermissionDeniedError):
        return _forbidden(request, language, code[:20])
    except ValidationError:
        return _submission_page(
            request, gw, actor, language, code, problem="invalid", status_code=422
        )
    return RedirectResponse(f"/gateway/queue/{code[:20]}?lang={language}", status_code=303)
