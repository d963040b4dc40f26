"""Worklist pages (C7): the case list with search and filters, and the referrals sent with
their outcome, so that a case or a referral can be found again once left."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from itinera.domain.access import Action
from itinera.domain.case_list import PAGE_SIZE, CaseQuery, CaseStatus
from itinera.schemas.referral_answers import ReferralSummaryOut
from itinera.services.casework import worklists
from itinera.services.catalogue import routes as route_service
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep
from itinera.web.page_access import page_gate
from itinera.web.routers.casework.api import CaseworkDep
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/cases", response_class=HTMLResponse, response_model=None)
def cases_page(
    request: Request,
    cw: CaseworkDep,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
    number: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    flag: Annotated[str, Query(max_length=64)] = "",
    arrived_from: Annotated[str, Query(max_length=10)] = "",
    arrived_to: Annotated[str, Query(max_length=10)] = "",
    route: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    gate = page_gate(request, actor, language, Action.VIEW_CASE, "cases/forbidden.html")
    if gate:
        return gate
    query = CaseQuery(
        number=number,
        status=CaseStatus(status) if status in CaseStatus._value2member_map_ else None,
        flag=flag,
        arrived_from=_date(arrived_from),
        arrived_to=_date(arrived_to),
        route_id=route,
        page=page,
    )
    found = worklists.list_cases(cw, actor, query)
    chosen = {
        "number": number,
        "status": query.status.value if query.status else "",
        "flag": flag,
        "arrived_from": arrived_from if query.arrived_from else "",
        "arrived_to": arrived_to if query.arrived_to else "",
        "route": route,
    }
    return render(
        request,
        "cases/list.html",
        language,
        found=found,
        chosen=chosen,
        statuses=[s.value for s in CaseStatus],
        flag_names=worklists.flag_names(language),
        routes={r.id: r.name for r in route_service.list_routes(db)},
    )


@router.get("/referrals/sent", response_class=HTMLResponse, response_model=None)
def sent_page(
    request: Request,
    cw: CaseworkDep,
    actor: ActorDep,
    language: LanguageDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    gate = page_gate(request, actor, language, Action.REFER_CASE, "cases/forbidden.html")
    if gate:
        return gate
    sent, total = worklists.referrals_sent(cw, actor, page=page, language=language)
    return render(
        request,
        "cases/sent.html",
        language,
        sent=[
            {
                "summary": ReferralSummaryOut.of(s.summary).model_dump(mode="json"),
                "outcome": s.outcome,
                "answered_at": s.answered_at,
            }
            for s in sent
        ],
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
    )
