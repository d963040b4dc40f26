"""Caseworker pages (C7): register, screen and refer a case. Mobile-first forms
with CSRF tokens; the same services as the API, so the same checks and the same audit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticValidationError

from itinera.domain.access import Action, Actor
from itinera.domain.case_record import CaseFile
from itinera.domain.errors import ItineraError, NotFoundError
from itinera.domain.screening import QuestionKind, Questionnaire
from itinera.domain.screening_view import ScreeningReport
from itinera.schemas.case_answers import CaseFileOut, QuestionnaireOut, ScreeningOut
from itinera.schemas.cases import CaseIn, ReferralIn
from itinera.services.accounts import users as accounts
from itinera.services.casework import cases as case_service
from itinera.services.casework import referrals as referral_service
from itinera.services.casework import screening as screening_service
from itinera.services.casework import worklists
from itinera.services.casework.screening_history import latest_screening
from itinera.web.deps import ActorDep, CsrfDep, DatabaseDep, LanguageDep
from itinera.web.form_messages import plain_problems
from itinera.web.page_access import page_gate
from itinera.web.routers.casework.api import CaseworkDep, origin_of
from itinera.web.routers.casework.receivers import receiver_groups
from itinera.web.templating import render

__all__ = ["answers_of", "router"]

router = APIRouter(include_in_schema=False)
PURPOSES = ("registration", "screening", "referral", "follow-up")
_CHILD_FIELDS = ("child_assent", "child_decision")


def login_first(request: Request, actor: Actor) -> Response | None:
    if actor.user_id is None:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return None


def problems_of(
    exc: Exception, language: str = "en", typed: Mapping[str, Any] | None = None
) -> list[dict[str, str]]:
    """Plain sentences in the page's language, each naming its field by its label."""
    return plain_problems(exc, language, typed)


@router.get("/cases/new", response_class=HTMLResponse, response_model=None)
def register_page(request: Request, actor: ActorDep, language: LanguageDep) -> Response:
    # a role that may not register is told so before it fills anything in
    return page_gate(
        request, actor, language, Action.REGISTER_CASE, "cases/forbidden.html"
    ) or render(request, "cases/register.html", language, form={}, problems=[], purposes=PURPOSES)


@router.post("/cases/new", dependencies=[CsrfDep], response_model=None)
async def register_form(
    request: Request, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    # the role first: a refused role learns nothing of the form's rules (access test, pages)
    gate = page_gate(request, actor, language, Action.REGISTER_CASE, "cases/forbidden.html")
    if gate is not None:
        return gate
    form = dict((await request.form()).multi_items())
    purposes = (await request.form()).getlist("purposes")
    data: dict[str, Any] = {
        k: v
        for k, v in form.items()
        if k not in ("csrf_token", "purposes", "document_number", *_CHILD_FIELDS) and v != ""
    }
    data.setdefault("date_of_birth", None)
    data["consent"] = {
        "purposes": purposes,
        # stated on the form for a child, never pre-ticked (issue 12)
        "child_assent": {"yes": True, "no": False}.get(str(form.get("child_assent", ""))),
        "child_decision": form.get("child_decision") or None,
    }
    if form.get("document_number"):
        data["document_numbers"] = [form["document_number"]]
    try:
        case = await run_in_threadpool(
            case_service.register_case,
            cw,
            actor,
            CaseIn.model_validate(data).to_domain(),
            origin=origin_of(request),
        )
    except (PydanticValidationError, ItineraError) as exc:
        return render(
            request,
            "cases/register.html",
            language,
            status_code=422,
            form=form,
            problems=problems_of(exc, language, form),
            purposes=PURPOSES,
            chosen_purposes=purposes,
        )
    return RedirectResponse(f"/cases/{case.id}?lang={language}", status_code=303)


@router.get("/cases/{case_id}", response_class=HTMLResponse, response_model=None)
def case_page(
    request: Request,
    case_id: str,
    cw: CaseworkDep,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    redirect = login_first(request, actor)
    if redirect:
        return redirect
    try:
        file = case_service.get_case(cw, actor, case_id[:20], origin=origin_of(request))
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=case_id[:20])
    result = latest_screening(cw, file, language)
    return _case_view(request, cw, db, actor, language, case_view(file), result)


def case_or_page(
    request: Request, cw: Any, actor: Actor, language: str, case_id: str
) -> dict[str, Any] | Response:
    """The case (its read audited), else the login redirect or the 404 page to answer."""
    redirect = login_first(request, actor)
    if redirect:
        return redirect
    try:
        return case_view(case_service.get_case(cw, actor, case_id[:20], origin=origin_of(request)))
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=case_id[:20])


def case_view(file: CaseFile) -> dict[str, Any]:
    """The case as the templates read it: the API's answer, with Python values."""
    return CaseFileOut.of(file).model_dump()


def _case_view(
    request: Request,
    cw: Any,
    db: Any,
    actor: Actor,
    language: str,
    case: dict[str, Any],
    result: ScreeningReport | None = None,
    problems: list[dict[str, str]] | None = None,
    status_code: int = 200,
    typed: dict[str, Any] | None = None,
) -> Response:
    """The case page; ``typed`` holds what a refused form carried, to show it again."""
    organisations = [o for o in accounts.list_organisations(db) if o.id != actor.organisation_id]
    place = request.query_params.get("place", "")[:100]
    receivers = {
        rec.pathway: receiver_groups(
            db,
            actor,
            rec.service_type,
            organisations,
            place=place,
            stale_after_days=request.app.state.settings.services_stale_after_days,
        )
        for rec in (result.recommendations if result else ())
    }
    return render(
        request,
        "cases/case.html",
        language,
        status_code=status_code,
        case=case,
        questionnaire=QuestionnaireOut.of(
            screening_service.localised_questionnaire(cw, language)
        ).model_dump(mode="json"),
        result=None if result is None else ScreeningOut.of(result).model_dump(mode="json"),
        problems=problems or [],
        organisations=organisations,
        typed=typed or {},
        flag_names=worklists.flag_names(language),
        receivers=receivers,
        place=place,
    )


def answers_of(form: Any, questionnaire: Questionnaire) -> dict[str, Any]:
    """The screening answers of a posted form, typed by the questionnaire's question kinds."""
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.kind is QuestionKind.CHOICES:
            chosen = form.getlist(question.id)
            if chosen:
                answers[question.id] = chosen
            continue
        value = form.get(question.id)
        if value in (None, ""):
            continue
        if question.kind is QuestionKind.BOOLEAN:
            answers[question.id] = {"yes": True, "no": False}.get(value, value)
        elif question.kind is QuestionKind.NUMBER:
            try:
                answers[question.id] = int(value) if value.isdigit() else float(value)
            except ValueError:
                answers[question.id] = value
        else:
            answers[question.id] = value
    return answers


@router.post("/cases/{case_id}/screen", dependencies=[CsrfDep], response_model=None)
async def screen_form(
    request: Request,
    case_id: str,
    cw: CaseworkDep,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    form = await request.form()
    try:
        await run_in_threadpool(
            screening_service.screen_case,
            cw,
            actor,
            case_id[:20],
            answers_of(form, cw.screening.questionnaire),
            language=language,
            origin=origin_of(request),
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=case_id[:20])
    except ItineraError as exc:
        # the whole questionnaire comes back with what was chosen, and the error
        typed = {"answers": {k: form.getlist(k) for k in form if k != "csrf_token"}}
        return await _refused(request, cw, db, actor, language, case_id, exc, typed)
    # post/redirect/get: reloading the case page never screens twice
    return RedirectResponse(f"/cases/{case_id[:20]}?lang={language}#screening-result", 303)


async def _refused(
    request: Request,
    cw: Any,
    db: Any,
    actor: Actor,
    language: str,
    case_id: str,
    exc: Exception,
    typed: dict[str, Any],
) -> Response:
    """The case page again with the latest screening, the problems and what was typed."""
    flat = typed.get("referral", {})
    file = await run_in_threadpool(
        case_service.get_case, cw, actor, case_id[:20], origin=origin_of(request)
    )
    result = latest_screening(cw, file, language)
    return _case_view(
        request,
        cw,
        db,
        actor,
        language,
        case_view(file),
        result,
        problems_of(exc, language, flat),
        422,
        typed,
    )


@router.post("/cases/{case_id}/refer", dependencies=[CsrfDep], response_model=None)
async def refer_form(
    request: Request,
    case_id: str,
    cw: CaseworkDep,
    db: DatabaseDep,
    actor: ActorDep,
    language: LanguageDep,
) -> Response:
    form = {k: v for k, v in (await request.form()).multi_items() if v != ""}
    form.pop("csrf_token", None)
    try:
        referral = await run_in_threadpool(
            referral_service.create_referral,
            cw,
            actor,
            ReferralIn.model_validate({**form, "case_id": case_id[:20]}).to_domain(),
            language=language,
            origin=origin_of(request),
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=case_id[:20])
    except (PydanticValidationError, ItineraError) as exc:
        typed = {"referral": {k: str(v) for k, v in form.items()}}
        return await _refused(request, cw, db, actor, language, case_id, exc, typed)
    return RedirectResponse(f"/referrals/{referral.summary.id}?lang={language}", status_code=303)
