"""JSON API of the Digital Gateway (C9): public intake and tracking, signed channel messages,
the staff queue. Thin: parse, call a service, answer."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from itinera.domain.errors import NotFoundError
from itinera.domain.gateway import SubmissionKind, is_overdue
from itinera.domain.gateway_codes import display_code
from itinera.domain.gateway_signatures import SignatureError
from itinera.schemas.case_answers import CaseOut
from itinera.schemas.cases import CaseIn
from itinera.schemas.gateway import (
    AnswerIn,
    FeedbackCountOut,
    InboundReceiptOut,
    MergeIn,
    PassIn,
    PlaceOut,
    QueueItemOut,
    ReceiptOut,
    SearchMissOut,
    SubmissionIn,
    SubmissionOut,
    TemplateAnswerIn,
    TemplateIn,
    TrackingOut,
    TriageIn,
)
from itinera.services.accounts import audit
from itinera.services.accounts.keys import field_cipher
from itinera.services.gateway import articles, escalation, intake, passing, reports
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway import templates as template_service
from itinera.services.gateway.context import Gateway
from itinera.services.places import lookup as place_lookup
from itinera.web.deps import ActorDep, DatabaseDep
from itinera.web.lean_json import LeanJsonRoute
from itinera.web.login_limit import TooManyLoginsError
from itinera.web.routers.gateway.throttle import (
    CHANNEL_MESSAGES,
    LOOKUP_FAILURES,
    SUBMISSIONS,
    address_of,
    limiter,
    too_many,
)

__all__ = ["GatewayDep", "gateway", "router"]

router = APIRouter(prefix="/api/gateway", tags=["gateway"])


async def gateway(request: Request) -> Gateway:
    """The app's Gateway (cipher + audit trail), built once; async so that a request does not
    hop to the thread pool just to read it (the intake benchmark counts every hop)."""
    existing: Gateway | None = getattr(request.app.state, "gateway", None)
    if existing is None:
        state = request.app.state
        cipher = getattr(state, "cipher", None)
        if cipher is None:
            cipher = state.cipher = field_cipher(state.settings)
        organisation = state.settings.gateway_tracing_organisation
        existing = state.gateway = Gateway(
            state.database, cipher, audit.record, tracing_organisation=organisation
        )
    return existing


GatewayDep = Annotated[Gateway, Depends(gateway)]
ChannelName = Annotated[str, Path(max_length=64, description="the channel's name")]
TrackingCode = Annotated[str, Path(max_length=64, description="e.g. 7K3M-Q9TX-2B4R-5Z")]
_TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {"description": "too many requests from this address"}
}


@router.post(
    "/inbound/{channel}",
    status_code=201,
    summary="A message posted by a channel adapter, signed per Standard Webhooks",
    response_model=InboundReceiptOut,
    responses={
        200: {"description": "this message id was received before"},
        401: {"description": "missing, wrong or stale signature"},
        **_TOO_MANY,
    },
)
async def inbound(
    channel: ChannelName, request: Request, response: Response, gw: GatewayDep
) -> InboundReceiptOut | JSONResponse:
    """Headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64
    HMAC-SHA256 of "id.timestamp.body">`` under the channel's secret); body
    ``{"from", "text", "language"}``. 401 without detail when unsigned, wrong or stale.
    A channel of kind ``twilio`` takes Twilio's form post signed with ``X-Twilio-Signature``."""
    flood = limiter(request, CHANNEL_MESSAGES)
    try:
        flood.check(channel)
    except TooManyLoginsError as error:
        return too_many(error)
    flood.failed(channel)  # every message counts toward the channel's window
    body = await request.body()
    message = intake.InboundRequest(str(request.url), dict(request.headers), body)
    try:
        receipt = await run_in_threadpool(intake.receive_message, gw, channel, message)
    except intake.NoMessage:  # a signed delivery or read status: acknowledged, nothing stored
        return JSONResponse({"status": "ignored"}, status_code=200)
    if not receipt.created:
        response.status_code = 200
    return InboundReceiptOut(
        tracking_code=display_code(receipt.tracking_code), status=receipt.status
    )


@router.get(
    "/inbound/{channel}",
    summary="Meta's verification handshake: echo hub.challenge for our hub.verify_token",
    response_class=PlainTextResponse,
    responses={403: {"description": "not a Meta channel, or not its verify token"}},
)
def inbound_handshake(channel: ChannelName, request: Request, gw: GatewayDep) -> Response:
    try:
        challenge = intake.answer_channel_handshake(gw, channel, dict(request.query_params))
    except SignatureError:
        return PlainTextResponse("", status_code=403)
    return PlainTextResponse(challenge)


@router.get(
    "/places",
    summary="Places whose names start with, hold or resemble what was typed (type-ahead)",
    response_model=list[PlaceOut],
)
def places(
    db: DatabaseDep,
    q: Annotated[str, Query(max_length=200, description="what the person typed")] = "",
    language: Annotated[str, Query(pattern="^[a-z]{2,3}$")] = "en",
) -> list[PlaceOut]:
    return [PlaceOut.of(p, language) for p in place_lookup.suggest(db, q)]


async def submit(body: SubmissionIn, request: Request) -> Response:
    """A lean route (decision 0033): the body validated once from its bytes, the receipt
    written directly; no dependency, no response-model round trip, no thread-pool hop."""
    flood = limiter(request, SUBMISSIONS)
    address = address_of(request)
    try:
        flood.check(address)
    except TooManyLoginsError as error:
        return too_many(error)
    flood.failed(address)  # every submission counts toward the window
    new = body.to_domain()
    gw = await gateway(request)
    if new.kind is SubmissionKind.TRACING and new.tracing_consent:  # handed over at once
        receipt = await run_in_threadpool(intake.submit, gw, new)
    else:  # the intake writer stores it with others arriving now
        receipt = await intake.submit_waiting(gw, new)
    return JSONResponse({"tracking_code": display_code(receipt.tracking_code)}, status_code=201)


router.add_api_route(
    "/submissions",
    submit,
    methods=["POST"],
    status_code=201,
    summary="Send a question, request, feedback, complaint or tracing interest (no account)",
    response_model=ReceiptOut,
    responses=_TOO_MANY,
    route_class_override=LeanJsonRoute,
)


@router.get(
    "/submissions/{tracking_code}",
    summary="Status and public answers of a submission, by its tracking code",
    response_model=TrackingOut,
    responses={404: {"description": "no submission with this code"}, **_TOO_MANY},
)
def track(
    tracking_code: TrackingCode, request: Request, gw: GatewayDep
) -> TrackingOut | JSONResponse:
    guesses = limiter(request, LOOKUP_FAILURES)
    address = address_of(request)
    try:
        guesses.check(address)
    except TooManyLoginsError as error:
        return too_many(error)
    try:
        return TrackingOut.of(intake.track(gw, tracking_code))
    except NotFoundError:
        guesses.failed(address)
        raise


@router.get("/queue", summary="Open submissions, oldest first (staff; the read is audited)")
def queue(
    gw: GatewayDep,
    actor: ActorDep,
    overdue: Annotated[bool, Query(description="only those past their target")] = False,
    restricted: Annotated[
        bool, Query(description="the focal points' queue of sensitive complaints")
    ] = False,
) -> list[QueueItemOut]:
    now = gw.now()
    found = queue_service.queue(gw, actor, overdue_only=overdue, restricted=restricted)
    return [QueueItemOut.of(s, overdue=is_overdue(s, now)) for s in found]


@router.get(
    "/queue/export",
    summary="The open general queue as CSV (no messages or contacts)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "one row per submission"}},
)
def export_queue(gw: GatewayDep, actor: ActorDep) -> Response:
    out = io.StringIO()
    reports.export_queue(gw, actor, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


@router.get(
    "/feedback",
    summary="Submissions per month, kind and language; counts below 5 suppressed",
)
def feedback(gw: GatewayDep, actor: ActorDep) -> list[FeedbackCountOut]:
    return [
        FeedbackCountOut(month=c.month, kind=c.kind, language=c.language, count=c.count)
        for c in reports.feedback_counts(gw, actor)
    ]


@router.post(
    "/queue/{tracking_code}/restrict",
    status_code=204,
    summary="Move a submission to the focal points' restricted queue",
)
def restrict(tracking_code: TrackingCode, gw: GatewayDep, actor: ActorDep) -> Response:
    queue_service.restrict(gw, actor, tracking_code)
    return Response(status_code=204)


@router.post(
    "/queue/{tracking_code}/pass",
    status_code=204,
    summary="Pass a restricted complaint to another organisation's focal point, with consent",
    responses={403: {"description": "the person's consent is not recorded"}},
)
def pass_complaint(
    tracking_code: TrackingCode, body: PassIn, gw: GatewayDep, actor: ActorDep
) -> Response:
    passing.pass_to_organisation(
        gw, actor, tracking_code, body.organisation_id, consent=body.consent
    )
    return Response(status_code=204)


@router.post(
    "/queue/{tracking_code}/triage",
    summary="Set a submission's topic, priority and assignee",
)
def triage(
    tracking_code: TrackingCode, body: TriageIn, gw: GatewayDep, actor: ActorDep
) -> SubmissionOut:
    updated = queue_service.triage(
        gw,
        actor,
        tracking_code,
        topic=body.topic or None,
        priority=body.priority,
        assigned_to=body.assigned_to or None,
    )
    return SubmissionOut.full(updated, overdue=is_overdue(updated, gw.now()))


@router.post(
    "/queue/{tracking_code}/merge",
    status_code=204,
    summary="Close a duplicate: its code then shows the answers of the one it repeats",
)
def merge(tracking_code: TrackingCode, body: MergeIn, gw: GatewayDep, actor: ActorDep) -> Response:
    queue_service.merge(gw, actor, tracking_code, body.into)
    return Response(status_code=204)


@router.get(
    "/articles/misses",
    summary="Searches that found nothing, by month, language and route (the content-gap radar)",
)
def search_misses(gw: GatewayDep, actor: ActorDep) -> list[SearchMissOut]:
    return [
        SearchMissOut(month=m, language=lang, route=r, query=q, count=n)
        for m, lang, r, q, n in articles.search_misses(gw.db, actor)
    ]


@router.get("/articles/stale", summary="Published translations past their review interval")
def stale_articles(gw: GatewayDep, actor: ActorDep) -> list[dict[str, str]]:
    found = articles.stale_articles(gw.db, actor, gw.now().date())
    return [{"slug": t.slug, "language": t.language, "title": t.title} for t in found]


@router.post("/templates", status_code=204, summary="Save an answer template (per language)")
def save_template(body: TemplateIn, gw: GatewayDep, actor: ActorDep) -> Response:
    template_service.save_template(
        gw, actor, body.name, body.language, body.body, approved=body.approved
    )
    return Response(status_code=204)


@router.post(
    "/queue/{tracking_code}/answers/template",
    status_code=201,
    summary="Answer with a template, its $variables filled in",
)
def answer_from_template(
    tracking_code: TrackingCode, body: TemplateAnswerIn, gw: GatewayDep, actor: ActorDep
) -> SubmissionOut:
    updated = template_service.answer_from_template(
        gw, actor, tracking_code, body.name, body.language, body.variables
    )
    return SubmissionOut.full(updated, overdue=is_overdue(updated, gw.now()))


@router.post(
    "/queue/{tracking_code}/escalate",
    status_code=201,
    summary="Register a protection case (C7) from a submission, with the person's consent",
)
def escalate(tracking_code: TrackingCode, body: CaseIn, gw: GatewayDep, actor: ActorDep) -> CaseOut:
    case = escalation.escalate_to_case(gw, actor, tracking_code, body.to_domain())
    return CaseOut.of(case)


@router.get("/queue/{tracking_code}", summary="One submission with its text and answers")
def open_submission(tracking_code: TrackingCode, gw: GatewayDep, actor: ActorDep) -> SubmissionOut:
    found = queue_service.open_submission(gw, actor, tracking_code)
    return SubmissionOut.full(found, overdue=is_overdue(found, gw.now()))


@router.post(
    "/queue/{tracking_code}/answers",
    status_code=201,
    summary="Answer the person (public) or add an internal note",
)
def answer(
    tracking_code: TrackingCode, body: AnswerIn, gw: GatewayDep, actor: ActorDep
) -> SubmissionOut:
    updated = queue_service.answer(
        gw, actor, tracking_code, body.body, body.language, public=body.public
    )
    return SubmissionOut.full(updated, overdue=is_overdue(updated, gw.now()))
