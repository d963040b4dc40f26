"""Caseworker pages (C7): edit a case and record or withdraw consent. CSRF-protected forms;
the same services as the API (``PATCH /api/cases/{id}``, ``POST /api/cases/{id}/consent``), so
the same permission checks, optimistic locking and audit. A stale form answers 409 with the
conflict message and the current values, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticValidationError

from itinera.domain.access import Actor
from itinera.domain.case import CHILD_AGE_GROUPS
from itinera.domain.errors import ConflictError, ItineraError, NotFoundError
from itinera.schemas.cases import CaseEdit, ConsentIn
from itinera.services.casework import cases as case_service
from itinera.services.casework import worklists
from itinera.services.casework.consent import change_consent
from itinera.web.deps import ActorDep, CsrfDep, LanguageDep
from itinera.web.routers.casework.api import CaseworkDep, origin_of
from itinera.web.routers.casework.pages import PURPOSES, case_or_page, case_view, problems_of
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
EDITABLE = (
    "given_name",
    "family_name",
    "sex",
    "date_of_birth",
    "nationality",
    "arrival_place",
    "arrival_date",
    "contact",
)
OPTIONAL = ("date_of_birth", "contact")
BASES = ("consent", "vital-interest", "public-interest", "legal-obligation")


def _page(
    request: Request,
    language: str,
    template: str,
    case: dict[str, Any],
    form: dict[str, Any] | None = None,
    problems: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        template,
        language,
        status_code=status_code,
        case=case,
        form=form if form is not None else _form_of(case),
        problems=problems or [],
        purposes=PURPOSES,
        bases=BASES,
        sensitive_flags=sensitive_flags(request),
        flag_names=worklists.flag_names(language),
        is_child=case.get("age_group") in CHILD_AGE_GROUPS,
    )


def sensitive_flags(request: Request) -> list[str]:
    """The flags some pathway shares only with the person's explicit agreement (GBV …)."""
    pathways = request.app.state.casework.screening.rule_set.pathways.values()
    return sorted({flag for p in pathways for flag in p.flags_with_agreement})


def _form_of(case: dict[str, Any]) -> dict[str, Any]:
    form = {name: case.get(name) or "" for name in EDITABLE}
    form["document_numbers"] = ", ".join(case.get("document_numbers") or [])
    form["version"] = case["version"]
    return form


def _show(template: str) -> Callable[..., Response]:
    def page(
        request: Request, case_id: str, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
    ) -> Response:
        case = case_or_page(request, cw, actor, language, case_id)
        return case if isinstance(case, Response) else _page(request, language, template, case)

    return page


router.get("/cases/{case_id}/edit", response_class=HTMLResponse, response_model=None)(
    _show("cases/edit.html")
)
router.get("/cases/{case_id}/consent", response_class=HTMLResponse, response_model=None)(
    _show("cases/consent.html")
)


def _edit_of(form: dict[str, Any]) -> CaseEdit:
    data: dict[str, Any] = {"version": form.get("version")}
    for name in EDITABLE:
        value = str(form.get(name, "")).strip()
        if value or name in OPTIONAL:
            data[name] = value or None
        else:
            data[name] = value  # a required field left empty: the schema names it
    numbers = [n.strip() for n in str(form.get("document_numbers", "")).split(",") if n.strip()]
    data["document_numbers"] = numbers
    return CaseEdit.model_validate(data)


async def _submit(
    request: Request, case_id: str, cw: Any, actor: Actor, language: str, template: str, action: Any
) -> Response:
    form: dict[str, Any] = dict((await request.form()).multi_items())
    form["purposes"] = (await request.form()).getlist("purposes")
    form["flags_agreed"] = (await request.form()).getlist("flags_agreed")
    try:
        await run_in_threadpool(action, form)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=case_id[:20])
    except (PydanticValidationError, ItineraError) as exc:
        current = case_view(await run_in_threadpool(case_service.get_case, cw, actor, case_id[:20]))
        status = 409 if isinstance(exc, ConflictError) else 422
        if isinstance(exc, ConflictError):  # show what is stored now, with its new version
            form = _form_of(current)
        return _page(
            request, language, template, current, form, problems_of(exc, language, form), status
        )
    return RedirectResponse(f"/cases/{case_id[:20]}?lang={language}", status_code=303)


@router.post("/cases/{case_id}/edit", dependencies=[CsrfDep], response_model=None)
async def edit_form(
    request: Request, case_id: str, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    def action(form: dict[str, Any]) -> Any:
        return case_service.edit_case(
            cw, actor, case_id[:20], _edit_of(form).to_domain(), origin=origin_of(request)
        )

    return await _submit(request, case_id, cw, actor, language, "cases/edit.html", action)


@router.post("/cases/{case_id}/consent", dependencies=[CsrfDep], response_model=None)
async def consent_form(
    request: Request, case_id: str, cw: CaseworkDep, actor: ActorDep, language: LanguageDep
) -> Response:
    def action(form: dict[str, Any]) -> Any:
        assent = {"yes": True, "no": False}.get(str(form.get("child_assent", "")))
        consent = ConsentIn.model_validate(
            {
                "purposes": form["purposes"],
                "basis": form.get("basis") or "consent",
                "flags_agreed": form["flags_agreed"],
                "child_assent": assent,
                "child_decision": form.get("child_decision") or None,
            }
        ).to_domain()
        version = CaseEdit.model_validate({"version": form.get("version")}).version
        return change_consent(cw, actor, case_id[:20], version, consent, origin=origin_of(request))

    return await _submit(request, case_id, cw, actor, language, "cases/consent.html", action)
