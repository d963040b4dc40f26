"""Editing service points from the pages (C5): a new point, the edit form, "verified today"
and a status change.

Every form needs a logged-in user allowed to edit services (``Action.EDIT_SERVICES``) and the
CSRF token. Validation errors are shown next to their fields (422); a form sent with a version
that someone else has since replaced is refused with a conflict message (409), nothing saved.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from itinera.domain.access import Action, Actor
from itinera.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from itinera.domain.service_point import PointKind, Population, ServicePoint
from itinera.schemas import MAX_DATABASE_INT
from itinera.services.services_map import editing, registry
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep
from itinera.web.page_access import page_gate
from itinera.web.routers.services_map.pages import form_choices
from itinera.web.routers.services_map.point_form import form_values, parse_point_form
from itinera.web.security import verify_csrf
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PointId = Annotated[int, Path(ge=1, le=MAX_DATABASE_INT)]
RAW_FIELDS = ("lat", "lon", "status_since", "status_until", "contacts")  # shown as typed


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request,
        actor,
        language,
        Action.EDIT_SERVICES,
        "services/forbidden.html",
        what="edit",
    )


def _form(
    request: Request,
    db: Any,
    language: str,
    point: ServicePoint,
    status_code: int = 200,
    **context: Any,
) -> Response:
    errors: dict[str, list[str]] = {}
    for error in context.pop("field_errors", []):
        errors.setdefault(error.field, []).append(error.message)
    return render(
        request,
        "services/edit.html",
        language,
        status_code=status_code,
        point=point,
        values=context.pop("values", None) or form_values(point),
        errors=errors,
        populations=list(Population),
        **form_choices(db),
        **context,
    )


def _rejected(
    request: Request,
    db: Any,
    language: str,
    point: ServicePoint,
    form: FormData,
    field_errors: list[FieldError],
    status_code: int = 422,
    **context: Any,
) -> Response:
    values = form_values(point)
    values.update({name: form.get(name) or "" for name in RAW_FIELDS})
    values["version"] = form.get("version") or ""
    return _form(
        request,
        db,
        language,
        point,
        status_code,
        values=values,
        field_errors=field_errors,
        **context,
    )


@router.get("/services/points/new", response_class=HTMLResponse, response_model=None)
def new_point_page(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    blank = ServicePoint(None, "", PointKind.NGO_SERVICE_POINT, None, None, source="manual")
    return _gate(request, actor, language) or _form(request, db, language, blank)


@router.post("/services/points/new", response_model=None)
async def new_point_form(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if (gate := _gate(request, actor, language)) is not None:
        return gate
    await verify_csrf(request)
    form = await request.form()
    blank = ServicePoint(None, "", PointKind.NGO_SERVICE_POINT, None, None)
    point, _, errors = parse_point_form(form, blank)
    try:
        if errors:
            raise ValidationError(errors)
        point_id = registry.create_point(db, actor, point)
    except ValidationError as error:
        return _rejected(request, db, language, point, form, error.errors)
    return RedirectResponse(f"/services/points/{point_id}?lang={language}", status_code=303)


@router.get("/services/points/{point_id}/edit", response_class=HTMLResponse, response_model=None)
def edit_point_page(
    request: Request, point_id: PointId, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if (gate := _gate(request, actor, language)) is not None:
        return gate
    try:
        point = editing.current_point(db, point_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(point_id))
    return _form(request, db, language, point)


@router.post("/services/points/{point_id}/edit", response_model=None)
async def edit_point_form(
    request: Request, point_id: PointId, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    if (gate := _gate(request, actor, language)) is not None:
        return gate
    await verify_csrf(request)
    form = await request.form()
    try:
        current = editing.current_point(db, point_id)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(point_id))
    point, version, errors = parse_point_form(form, current)
    try:
        if errors:
            raise ValidationError(errors)
        registry.update_point(db, actor, point_id, point, version)
    except ValidationError as error:
        return _rejected(request, db, language, point, form, error.errors)
    except ConflictError as error:
        return _rejected(request, db, language, point, form, [], 409, conflict=error.message)
    return RedirectResponse(f"/services/points/{point_id}?lang={language}", status_code=303)


@router.post("/services/points/{point_id}/verify", response_model=None)
async def verify_point_form(
    request: Request, point_id: PointId, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return await _quick_edit(request, point_id, db, actor, language, "verify")


@router.post("/services/points/{point_id}/status", response_model=None)
async def status_point_form(
    request: Request, point_id: PointId, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return await _quick_edit(request, point_id, db, actor, language, "status")


async def _quick_edit(
    request: Request, point_id: int, db: Any, actor: Actor, language: str, what: str
) -> Response:
    if (gate := _gate(request, actor, language)) is not None:
        return gate
    await verify_csrf(request)
    form = await request.form()
    sent = form.get("version")
    version = int(sent) if isinstance(sent, str) and sent.isdigit() else None
    try:
        if what == "verify":
            editing.mark_verified(db, actor, point_id, version)
        else:
            editing.set_status(db, actor, point_id, str(form.get("status") or ""), version)
    except NotFoundError:
        return render(request, "not_found.html", language, status_code=404, what=str(point_id))
    except (ValidationError, ConflictError) as error:
        current = editing.current_point(db, point_id)
        problems = getattr(error, "errors", [])
        code = 409 if isinstance(error, ConflictError) else 422
        conflict = error.message if code == 409 else None
        return _form(request, db, language, current, code, field_errors=problems, conflict=conflict)
    return RedirectResponse(f"/services/points/{point_id}?lang={language}", status_code=303)
