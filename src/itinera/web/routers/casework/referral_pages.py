"""Referral pages (C7): the inbox, follow-ups, one referral and its transitions. CSRF-protected
forms; the same services as the API, so the same need-to-know view and the same audit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.domain.errors import (
    ConflictError,
    FieldError,
    ItineraError,
    NotFoundError,
    ValidationError,
)
from itinera.domain.referral import ReferralStatus
from itinera.domain.referral_view import ReferralDetail
from itinera.schemas.referral_answers import ReferralOut, ReferralSummaryOut, ReminderOut
from itinera.services.casework import referrals as referral_service
from itinera.services.casework import worklists
from itinera.web.deps import ActorDep, CsrfDep, LanguageDep
from itinera.web.routers.casework.api import CaseworkDep, origin_of
from itinera.web.routers.casework.pages import login_first, problems_of
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/referrals", response_class=HTMLResponse, response_model=None)
def inbox_page(
    request: Request, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return login_first(request, actor) or render(
        request,
        "cases/referrals.html",
        language,
        title="Inbox",
        referrals=[
            ReferralSummaryOut.of(r).model_dump(mode="json")
            for r in referral_service.inbox(cw, actor, language=language)
        ],
    )


@router.get("/follow-ups", response_class=HTMLResponse, response_model=None)
def follow_ups_page(
    request: Request, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return login_first(request, actor) or render(
        request,
        "cases/referrals.html",
        language,
        title="Follow-ups",
        referrals=[
            ReminderOut.of_reminder(r).model_dump(mode="json")
            for r in referral_service.reminders(cw, actor, within_days=3, language=language)
        ],
    )


@router.get("/referrals/{referral_id}", response_class=HTMLResponse, response_model=None)
def referral_page(
    request: Request, referral_id: str, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    redirect = login_first(request, actor)
    if redirect:
        return redirect
    try:
        referral = referral_service.get_referral(
            cw, actor, referral_id[:20], language=language, origin=origin_of(request)
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=referral_id[:20])
    return render(
        request,
        "cases/referral.html",
        language,
        referral=_referral_view(referral),
        problems=[],
        typed={},
        flag_names=worklists.flag_names(language),
    )


def _referral_view(referral: ReferralDetail) -> dict[str, Any]:
    """The referral as the template reads it: the API's answer."""
    return ReferralOut.of_detail(referral).model_dump(mode="json", by_alias=True)


@router.post("/referrals/{referral_id}/transition", dependencies=[CsrfDep], response_model=None)
async def transition_form(
    request: Request, referral_id: str, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    form = await request.form()
    typed = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        if typed.get("to") == ReferralStatus.COMPLETED and not typed.get("reason", "").strip():
            # completing sends the outcome back to the sender: a note is part of the answer
            raise ValidationError([FieldError("reason", "an outcome note is required")])
        await run_in_threadpool(
            referral_service.transition_referral,
            cw,
            actor,
            referral_id[:20],
            ReferralStatus(str(form.get("to", ""))),
            reason=str(form.get("reason", ""))[:2000],
            language=language,
            origin=origin_of(request),
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=referral_id[:20])
    except (ItineraError, ValueError) as exc:
        referral = await run_in_threadpool(
            referral_service.get_referral, cw, actor, referral_id[:20], language=language
        )
        problems = (
            problems_of(exc, language, typed)
            if isinstance(exc, ItineraError)
            else problems_of(ItineraError("unknown status"), language)
        )
        return render(
            request,
            "cases/referral.html",
            language,
            status_code=409 if isinstance(exc, ConflictError) else 422,
            referral=_referral_view(referral),
            problems=problems,
            typed=typed,
            flag_names=worklists.flag_names(language),
        )
    return RedirectResponse(f"/referrals/{referral_id[:20]}?lang={language}", status_code=303)
