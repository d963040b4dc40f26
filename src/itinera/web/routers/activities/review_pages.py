"""Coordinator pages (C6): reporting periods opened and closed, the reports waiting for review,
the partners to remind in each open period, and the organisation merge suggestions to confirm
or reject (with the spellings each organisation is known by). CSRF-protected forms answering
with a redirect; the same services, permission checks and audit as the API and the CLI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.domain.access import Action, can, require
from itinera.domain.errors import ItineraError, ValidationError
from itinera.schemas import MAX_DATABASE_INT
from itinera.services.activities import organisations, reporting
from itinera.web.deps import ActorDep, CsrfDep, DatabaseDep, LanguageDep
from itinera.web.form_messages import plain_problems
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _periods_page(
    request: Request,
    db: Any,
    actor: Any,
    language: str,
    problems: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    require(actor, Action.REVIEW_ACTIVITY_REPORTS)
    periods = reporting.list_periods(db, actor)
    return render(
        request,
        "activities/periods.html",
        language,
        status_code=status_code,
        periods=list(reversed(periods)),
        reminders={p.period: reporting.reminders(db, actor, p.period) for p in periods if p.open},
        waiting=reporting.waiting_reports(db, actor),
        can_manage=can(actor, Action.MANAGE_REPORTING_PERIODS),
        problems=problems or [],
    )


@router.get("/activities/periods", response_class=HTMLResponse)
def periods_page(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> HTMLResponse:
    return _periods_page(request, db, actor, language)


@router.post("/activities/periods", dependencies=[CsrfDep], response_model=None)
async def change_period(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    form = {k: str(v) for k, v in (await request.form()).multi_items()}

    def action() -> None:
        state = form.get("state")
        if state not in ("open", "closed"):
            raise ValidationError.single("state", "open or closed")
        reporting.set_period(db, actor, form.get("period", "").strip(), open=state == "open")

    try:
        await run_in_threadpool(action)
    except ItineraError as exc:
        problems = plain_problems(exc, language, form)
        return _periods_page(request, db, actor, language, problems, 422)
    return RedirectResponse(f"/activities/periods?lang={language}", status_code=303)


@router.get("/activities/organisations", response_class=HTMLResponse)
def merge_page(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> HTMLResponse:
    require(actor, Action.MERGE_ORGANISATIONS)
    return render(
        request,
        "activities/organisations.html",
        language,
        suggestions=organisations.merge_suggestions(db, actor),
    )


@router.post(
    "/activities/organisations/suggestions/{suggestion_id}",
    dependencies=[CsrfDep],
    response_model=None,
)
async def decide_merge(
    request: Request,
    suggestion_id: Annotated[int, Path(ge=1, le=MAX_DATABASE_INT)],
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    """``keep`` names the organisation that stays (the other merges into it); ``reject``
    says the two are different organisations."""
    require(actor, Action.MERGE_ORGANISATIONS)  # the role before the form
    form = {k: str(v) for k, v in (await request.form()).multi_items()}
    keep = form.get("keep", "")
    if keep == "reject":
        await run_in_threadpool(organisations.decide_merge, db, actor, suggestion_id, merge=False)
    else:
        if not keep.isdigit():
            raise ValidationError.single("keep", "the organisation that stays")
        await run_in_threadpool(
            lambda: organisations.decide_merge(db, actor, suggestion_id, merge=True, keep=int(keep))
        )
    return RedirectResponse(f"/activities/organisations?lang={language}", status_code=303)
