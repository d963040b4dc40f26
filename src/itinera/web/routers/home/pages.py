"""``/home``: one page per person, built from what their role may do (domain/access.py), so
a caseworker sees her cases, due follow-ups and new referrals; an administrator users and the
audit trail; an analyst imports and sources. Nobody is shown work they may not do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.domain.access import Action, Actor, can
from itinera.domain.case_list import CaseQuery
from itinera.schemas.referral_answers import ReferralSummaryOut, ReminderOut
from itinera.services.accounts import users as accounts
from itinera.services.casework import referrals as referral_service
from itinera.services.casework import worklists
from itinera.services.gateway import queue as gateway_queue
from itinera.services.gateway import reports as gateway_reports
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep
from itinera.web.routers.casework.api import CaseworkDep
from itinera.web.routers.gateway.api import GatewayDep
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/home", response_class=HTMLResponse, response_model=None)
def home_page(
    request: Request,
    cw: CaseworkDep,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
    gw: GatewayDep,
) -> Response:
    if actor.user_id is None:
        return RedirectResponse(f"/login?lang={language}&next=/home", status_code=303)
    sections = _sections(cw, db, actor, language) | _gateway_sections(gw, actor)
    return render(request, "home.html", language, **sections)


def _gateway_sections(gw: Any, actor: Actor) -> dict[str, Any]:
    """The contact centre's reminder (messages past their response target) and what people
    ask, aggregated with small counts suppressed (C9)."""
    found: dict[str, Any] = {}
    if can(actor, Action.VIEW_GATEWAY_QUEUE):
        found["gateway_overdue"] = len(gateway_queue.queue(gw, actor, overdue_only=True))
    if can(actor, Action.VIEW_AGGREGATES):
        found["gateway_feedback"] = gateway_reports.feedback_counts(gw, actor)[:12]
    return found


def _sections(cw: Any, db: Any, actor: Actor, language: str) -> dict[str, Any]:
    """Only the sections the actor's role allows, each read through its service."""
    found: dict[str, Any] = {"flag_names": worklists.flag_names(language)}
    if can(actor, Action.VIEW_CASE):
        found["my_cases"] = worklists.list_cases(
            cw, actor, CaseQuery(created_by=actor.username)
        ).items[:10]
    if can(actor, Action.REFER_CASE) or can(actor, Action.RECEIVE_REFERRAL):
        found["follow_ups"] = [
            ReminderOut.of_reminder(r).model_dump(mode="json")
            for r in referral_service.reminders(cw, actor, within_days=3, language=language)
        ]
    if can(actor, Action.RECEIVE_REFERRAL):
        found["new_referrals"] = [
            ReferralSummaryOut.of(r).model_dump(mode="json")
            for r in worklists.new_referrals(cw, actor, language=language)
        ]
    if can(actor, Action.MANAGE_USERS):
        found["users"] = accounts.list_users(db, actor)
    found["admin"] = can(actor, Action.VIEW_AUDIT)
    found["analyst"] = can(actor, Action.IMPORT_MOVEMENTS)
    found["may"] = {a.value: can(actor, a) for a in Action}
    return found
