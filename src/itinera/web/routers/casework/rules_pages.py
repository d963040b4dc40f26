"""The administrator's screening rules pages (issue 12): the versions, the editor of the
questionnaire, rules and pathways (YAML checked as ``itinera screening validate`` does), a
preview on sample answers, and activation of any stored version.

Saving and activating redirect (PRG) to the list with a notice; a draft with an error comes
back whole with the error under the text at fault. A preview stores nothing.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from itinera.domain.access import Action, Actor
from itinera.domain.errors import ItineraError, NotFoundError, ValidationError
from itinera.domain.screening import Questionnaire
from itinera.domain.text import localise
from itinera.schemas.case_answers import QuestionnaireOut
from itinera.services.casework import screening as screening_service
from itinera.services.casework import screening_rules as rules_service
from itinera.services.casework import worklists
from itinera.services.casework.context import Casework
from itinera.services.casework.screening_rules import ScreeningTexts
from itinera.web.deps import ActorDep, CsrfDep, LanguageDep
from itinera.web.form_messages import plain_problems
from itinera.web.i18n import translations
from itinera.web.page_access import page_gate
from itinera.web.reference_messages import worded_detail
from itinera.web.routers.casework.api import CaseworkDep, origin_of
from itinera.web.routers.casework.pages import answers_of
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
NOTICES = ("saved", "activated")
_LINE = re.compile(r"\bline (\d+)\b")
_TEXT_LABELS = {
    "questionnaire_text": "Questionnaire (YAML)",
    "rules_text": "Rules (YAML)",
    "pathways_text": "Referral pathways (YAML)",
}


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request, actor, language, Action.MANAGE_SCREENING_RULES, "cases/forbidden.html"
    )


@router.get("/admin/screening", response_class=HTMLResponse, response_model=None)
async def versions_page(
    request: Request, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if gate := _gate(request, actor, language):
        return gate
    versions = await run_in_threadpool(rules_service.list_screening_versions, cw, actor)
    notice = request.query_params.get("done")
    return render(
        request,
        "admin_screening.html",
        language,
        versions=versions,
        notice=notice if notice in NOTICES else None,
        number=request.query_params.get("version", "")[:9],
    )


@router.post("/admin/screening/{version_id}/activate", dependencies=[CsrfDep], response_model=None)
async def activate(
    request: Request, version_id: int, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if gate := _gate(request, actor, language):
        return gate
    try:
        await run_in_threadpool(
            rules_service.activate_screening_version,
            cw,
            actor,
            version_id,
            origin=origin_of(request),
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(version_id))
    return RedirectResponse(
        f"/admin/screening?lang={language}&done=activated&version={version_id}", status_code=303
    )


@router.get("/admin/screening/new", response_class=HTMLResponse, response_model=None)
async def editor_page(
    request: Request, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    """The editor, filled with a stored version (``from``, else the active one)."""
    if gate := _gate(request, actor, language):
        return gate
    start = request.query_params.get("from", "")
    version_id = int(start[:9]) if start.isdigit() else None
    try:
        version = await run_in_threadpool(
            rules_service.get_screening_version, cw, actor, version_id
        )
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=start[:9])
    texts = ScreeningTexts(version.questionnaire_text, version.rules_text, version.pathways_text)
    return _editor(request, cw, language, texts, "", based_on=version.id)


@router.post("/admin/screening/new", dependencies=[CsrfDep], response_model=None)
async def editor_post(
    request: Request, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if gate := _gate(request, actor, language):
        return gate
    form = await request.form()
    texts = ScreeningTexts(*(str(form.get(name, "")) for name in rules_service.TEXT_FIELDS))
    comment = str(form.get("comment", ""))[:2000]
    based_on = str(form.get("based_on", ""))[:9]
    if form.get("action") == "preview":
        return await run_in_threadpool(
            _preview, request, cw, actor, language, texts, comment, based_on, form
        )
    try:
        number = await run_in_threadpool(
            lambda: rules_service.save_screening_version(
                cw,
                actor,
                texts,
                comment,
                activate=form.get("activate") == "1",
                origin=origin_of(request),
            )
        )
    except ItineraError as exc:
        problems = _problems(exc, language, {"comment": comment})
        return _editor(
            request, cw, language, texts, comment, based_on, problems=problems, status_code=422
        )
    return RedirectResponse(
        f"/admin/screening?lang={language}&done=saved&version={number}", status_code=303
    )


def _preview(
    request: Request,
    cw: Casework,
    actor: Actor,
    language: str,
    texts: ScreeningTexts,
    comment: str,
    based_on: str,
    form: Any,
) -> Response:
    questionnaire = rules_service.draft_questionnaire(texts)
    answers = answers_of(form, questionnaire) if questionnaire else {}
    try:
        report = rules_service.preview_screening(cw, actor, texts, answers, language)
    except ItineraError as exc:
        problems = _problems(exc, language, {}, questionnaire)
        return _editor(
            request, cw, language, texts, comment, based_on, problems, 422, answers=answers
        )
    return _editor(request, cw, language, texts, comment, based_on, answers=answers, preview=report)


def _editor(
    request: Request,
    cw: Casework,
    language: str,
    texts: ScreeningTexts,
    comment: str,
    based_on: Any = "",
    problems: list[dict[str, str]] | None = None,
    status_code: int = 200,
    *,
    answers: dict[str, Any] | None = None,
    preview: Any = None,
) -> Response:
    draft = rules_service.draft_questionnaire(texts)
    questionnaire = (
        None
        if draft is None
        else QuestionnaireOut.of(
            screening_service.localised_questionnaire(cw, language, draft)
        ).model_dump(mode="json")
    )
    typed = {  # as the questions template reads them: lists of form values
        key: [str(v) for v in value]
        if isinstance(value, list)
        else ["yes" if value is True else "no" if value is False else str(value)]
        for key, value in (answers or {}).items()
    }
    return render(
        request,
        "admin_screening_editor.html",
        language,
        status_code=status_code,
        texts=dict(
            zip(
                rules_service.TEXT_FIELDS,
                (texts.questionnaire, texts.rules, texts.pathways),
                strict=True,
            )
        ),
        text_labels=_TEXT_LABELS,
        comment=comment,
        based_on=based_on,
        problems=problems or [],
        questionnaire=questionnaire,
        typed={"answers": typed},
        preview=preview,
        flag_names=worklists.flag_names(language),
    )


def _problems(
    exc: ItineraError,
    language: str,
    typed: dict[str, Any],
    questionnaire: Questionnaire | None = None,
) -> list[dict[str, str]]:
    """A text's error as a sentence naming the text and its line, with the validator's detail
    (entry, field, what is wrong) in the page's language; a sample answer's error names its
    question."""
    if not isinstance(exc, ValidationError):
        return plain_problems(exc, language, typed)
    gettext = translations(language).gettext
    found = []
    for error in exc.errors:
        if error.field in _TEXT_LABELS:
            label = gettext(_TEXT_LABELS[error.field])
            line = _LINE.search(error.message)
            sentence = (
                gettext("“%(label)s” has an error at line %(line)s:")
                % {"label": label, "line": line.group(1)}
                if line
                else gettext("“%(label)s” has an error:") % {"label": label}
            )
            detail = (
                worded_detail(error.source, language, gettext)
                if error.source is not None
                else error.message
            )
            found.append({"field": error.field, "message": sentence, "detail": detail})
        elif error.field.startswith("answers.") and questionnaire is not None:
            question = questionnaire.question(error.field.removeprefix("answers."))
            text = localise(question.text, language) if question else error.field
            found.append(
                {
                    "field": "answers",
                    "message": gettext("Please check “%(label)s”: this value cannot be used.")
                    % {"label": text},
                }
            )
        else:
            found += plain_problems(ValidationError([error]), language, typed)
    return found
