"""Partner entry pages (C6): the list of activities (also a gap matrix cell's drill-down), an
activity's page with its period reports, and the forms of a partner organisation's staff to
add and edit their own activities, report figures of an open period, submit a report, and
correct a closed period with a reason; the coordinator approves or returns a report there.

The same services as the API, so the same rules (own organisation only, open periods,
corrections audited). Every form is CSRF-protected and answers with a redirect (PRG); a refused
form is shown again with each problem next to its field and nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticValidationError

from itinera.domain.access import Action, Actor, can, require
from itinera.domain.activity import ActivityStatus, Aggregation, ReportState
from itinera.domain.errors import ItineraError, NotFoundError, ValidationError
from itinera.schemas import MAX_DATABASE_INT
from itinera.schemas.activities import ActivityIn, FigureIn
from itinera.services.accounts.users import list_organisations
from itinera.services.activities import gaps, reporting
from itinera.services.store import Database
from itinera.web.deps import ActorDep, CsrfDep, DatabaseDep, LanguageDep
from itinera.web.form_messages import plain_problems
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
ActivityId = Annotated[int, Path(ge=1, le=MAX_DATABASE_INT)]
TEXT_FIELDS = ("sector", "title", "project_code", "adm1", "adm2", "population_group", "indicator")
OTHER_FIELDS = ("pillar", "country", "start", "end", "status", "aggregation", "budget", "currency")
NUMBERS = ("in_need", "targeted", "reached")
LIST_LIMIT = 1000


def _names(db: Database) -> dict[int, str]:
    return {o.id or 0: o.name for o in list_organisations(db)}


@router.get("/activities", response_class=HTMLResponse)
def activity_list(
    request: Request,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
    pillar: Annotated[int | None, Query(ge=1, le=6)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    mine: bool = False,
) -> HTMLResponse:
    own = actor.organisation_id if mine else None
    found = reporting.list_activities(
        db,
        actor,
        countries=[country] if country else None,
        pillar=pillar,
        year=year,
        organisation_id=own,
        limit=LIST_LIMIT,
    )
    return render(
        request,
        "activities/list.html",
        language,
        activities=found,
        organisations=_names(db),
        pillars=gaps.pillar_names(db, language),
        truncated=len(found) == LIST_LIMIT,
        filters={"country": country, "pillar": pillar, "year": year, "mine": mine},
        can_enter=can(actor, Action.ENTER_ACTIVITIES) and actor.organisation_id is not None,
        is_reviewer=can(actor, Action.REVIEW_ACTIVITY_REPORTS),
        can_merge=can(actor, Action.MERGE_ORGANISATIONS),
    )


def _form_of(activity: Any | None) -> dict[str, Any]:
    if activity is None:
        return {"status": "ongoing", "aggregation": "sum", "pillar": ""}
    form = {name: getattr(activity, name) for name in (*TEXT_FIELDS, *OTHER_FIELDS)}
    return {k: ("" if v is None else str(v)) for k, v in form.items()}


def _activity_in(form: dict[str, Any]) -> ActivityIn:
    data: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, *OTHER_FIELDS):
        value = str(form.get(name, "")).strip()
        if name == "country":
            value = value.upper()
        if value or name in ("sector", "pillar", "country"):
            data[name] = value
    return ActivityIn.model_validate(data)


def _form_page(
    request: Request,
    db: Database,
    language: str,
    form: dict[str, Any],
    activity_id: int | None = None,
    problems: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "activities/form.html",
        language,
        status_code=status_code,
        form=form,
        activity_id=activity_id,
        problems=problems or [],
        pillars=gaps.pillar_names(db, language),
        statuses=[s.value for s in ActivityStatus],
        methods=[m.value for m in Aggregation],
    )


@router.get("/activities/new", response_class=HTMLResponse)
def new_form(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> HTMLResponse:
    if not can(actor, Action.ENTER_ACTIVITIES) or actor.organisation_id is None:
        return render(request, "activities/not_partner.html", language, status_code=403)
    return _form_page(request, db, language, _form_of(None))


@router.get("/activities/{activity_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request,
    activity_id: ActivityId,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> HTMLResponse:
    activity = reporting.get_activity(db, actor, activity_id)
    if actor.organisation_id != activity.organisation_id:
        return render(request, "activities/not_partner.html", language, status_code=403)
    return _form_page(request, db, language, _form_of(activity), activity_id)


async def _posted(request: Request) -> dict[str, Any]:
    return {k: str(v) for k, v in (await request.form()).multi_items()}


@router.post("/activities/new", dependencies=[CsrfDep], response_model=None)
async def add_activity(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return await _save(request, db, actor, language, None)


@router.post("/activities/{activity_id}/edit", dependencies=[CsrfDep], response_model=None)
async def edit_activity(
    request: Request,
    activity_id: ActivityId,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    return await _save(request, db, actor, language, activity_id)


async def _save(
    request: Request, db: Database, actor: Actor, language: str, activity_id: int | None
) -> Response:
    require(actor, Action.ENTER_ACTIVITIES)  # the role before the form: no hint to others
    form = await _posted(request)

    def save() -> int:
        activity = _activity_in(form).to_domain(actor.organisation_id or 0)
        if activity_id is None:
            return reporting.add_activity(db, actor, activity).id or 0
        reporting.update_activity(db, actor, activity_id, activity)
        return activity_id

    try:
        saved = await run_in_threadpool(save)
    except NotFoundError:
        raise
    except (PydanticValidationError, ItineraError) as exc:
        problems = plain_problems(exc, language, form)
        return _form_page(request, db, language, form, activity_id, problems, 422)
    return RedirectResponse(f"/activities/{saved}?lang={language}", status_code=303)


def _detail(
    request: Request,
    db: Database,
    actor: Actor,
    language: str,
    activity_id: int,
    problems: list[dict[str, str]] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    activity = reporting.get_activity(db, actor, activity_id)
    periods = reporting.list_periods(db, actor)
    by_period: dict[str, list[Any]] = {}
    for figure in activity.figures:
        by_period.setdefault(figure.period, []).append(figure)
    states = {p: {f.state for f in figures} for p, figures in by_period.items()}
    return render(
        request,
        "activities/activity.html",
        language,
        status_code=status_code,
        activity=activity,
        organisation=_names(db).get(activity.organisation_id, ""),
        pillars=gaps.pillar_names(db, language),
        reports=sorted(by_period.items(), reverse=True),
        submittable=[
            p for p, s in states.items() if s <= {ReportState.DRAFT, ReportState.RETURNED}
        ],
        submitted=[p for p, s in states.items() if s == {ReportState.SUBMITTED}],
        open_periods=[p.period for p in periods if p.open],
        closed_periods=[p.period for p in periods if not p.open],
        own=actor.organisation_id == activity.organisation_id
        and can(actor, Action.ENTER_ACTIVITIES),
        reviewer=can(actor, Action.REVIEW_ACTIVITY_REPORTS),
        corrections=reporting.corrections(db, actor, activity_id),
        problems=problems or [],
        form=form or {},
    )


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    request: Request,
    activity_id: ActivityId,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> HTMLResponse:
    return _detail(request, db, actor, language, activity_id)


async def _act(
    request: Request,
    db: Database,
    actor: Actor,
    language: str,
    activity_id: int,
    action: Callable[[dict[str, Any]], None],
) -> Response:
    form = await _posted(request)
    try:
        await run_in_threadpool(action, form)
    except NotFoundError:
        raise
    except (PydanticValidationError, ItineraError) as exc:
        problems = plain_problems(exc, language, form)
        return _detail(request, db, actor, language, activity_id, problems, form, 422)
    return RedirectResponse(f"/activities/{activity_id}?lang={language}", status_code=303)


def _figure(form: dict[str, Any]) -> Any:
    data: dict[str, Any] = {"period": form.get("period", "")}
    for name in NUMBERS:
        if str(form.get(name, "")).strip():
            data[name] = str(form[name]).strip()
    return FigureIn.model_validate(data).to_domain()


@router.post("/activities/{activity_id}/figures", dependencies=[CsrfDep], response_model=None)
async def report_figures(
    request: Request,
    activity_id: ActivityId,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    """A draft figure of an open period, or a correction (with its reason) of a closed one."""

    def action(form: dict[str, Any]) -> None:
        figure = _figure(form)
        if form.get("correction"):
            reporting.correct_figures(db, actor, activity_id, figure, form.get("reason", ""))
        else:
            reporting.report_figures(db, actor, activity_id, figure)

    return await _act(request, db, actor, language, activity_id, action)


@router.post("/activities/{activity_id}/submit", dependencies=[CsrfDep], response_model=None)
async def submit_report(
    request: Request,
    activity_id: ActivityId,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    def action(form: dict[str, Any]) -> None:
        reporting.submit_report(db, actor, activity_id, form.get("period", ""))

    return await _act(request, db, actor, language, activity_id, action)


@router.post("/activities/{activity_id}/review", dependencies=[CsrfDep], response_model=None)
async def review_report(
    request: Request,
    activity_id: ActivityId,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    def action(form: dict[str, Any]) -> None:
        decision = form.get("decision")
        if decision not in ("approve", "return"):
            raise ValidationError.single("decision", "approve or return")
        approve = decision == "approve"
        reporting.review_report(db, actor, activity_id, form.get("period", ""), approve=approve)

    return await _act(request, db, actor, language, activity_id, action)
