"""Field entry pages (C11): a mobile-first form for a risk observation and one for a field
note. Logged-in users allowed to record field monitoring only; CSRF on every post; refused
fields (unknown codes, identifying text) shown next to the form, nothing saved."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from pydantic import ValidationError as WireValidationError

from itinera.domain.access import Action, Actor
from itinera.domain.errors import ValidationError
from itinera.domain.text import localise
from itinera.schemas.monitoring import FieldNoteIn, RiskObservationIn
from itinera.services.catalogue import routes as route_service
from itinera.services.monitoring import entries
from itinera.web.deps import ActorDep, DatabaseDep, LanguageDep
from itinera.web.page_access import page_gate
from itinera.web.security import verify_csrf
from itinera.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
LISTS = ("incident_types", "perpetrators", "source_types", "note_tags", "sexes", "age_groups")
GRADES = ("reliability_grades", "credibility_grades")


def _gate(request: Request, actor: Actor, language: str) -> Response | None:
    return page_gate(
        request,
        actor,
        language,
        Action.RECORD_FIELD_MONITORING,
        "services/forbidden.html",
        what="record",
    )


def _page(
    request: Request, db: Any, language: str, status_code: int = 200, **context: Any
) -> Response:
    vocab = entries.vocabularies()
    choices = {
        name: [(code, vocab.label(name, code, language)) for code in vocab.codes(name)]
        for name in (*LISTS, *GRADES)
    }
    routes = [(r.id, localise(r.name, language)) for r in route_service.list_routes(db)]
    context.setdefault("values", {})
    context.setdefault("problems", [])
    return render(
        request,
        "field/new.html",
        language,
        status_code=status_code,
        choices=choices,
        routes=sorted(routes, key=lambda r: r[1]),
        **context,
    )


@router.get("/field/new", response_class=HTMLResponse, response_model=None)
def field_entry_page(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return _gate(request, actor, language) or _page(request, db, language)


def _clean(form: Any, model: type[BaseModel]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in model.model_fields:
        if name == "tags":
            data[name] = form.getlist("tags")
        elif (value := form.get(name)) not in (None, ""):
            data[name] = value
    return data


async def _post(
    request: Request, db: Any, actor: Actor, language: str, model: type[BaseModel], kind: str
) -> Response:
    if (gate := _gate(request, actor, language)) is not None:
        return gate
    await verify_csrf(request)
    form = await request.form()
    values = _clean(form, model)
    try:
        wire: Any = model.model_validate(values)
        if kind == "observation":
            entries.create_observation(db, actor, wire.to_domain())
        else:
            entries.create_note(db, actor, wire.to_domain())
    except WireValidationError as error:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]) or kind, "message": e["msg"]}
            for e in error.errors()
        ]
        return _page(request, db, language, 422, values=values, problems=problems, kind=kind)
    except ValidationError as error:
        problems = [{"field": e.field, "message": e.message} for e in error.errors]
        return _page(request, db, language, 422, values=values, problems=problems, kind=kind)
    return _page(request, db, language, 201, saved=kind)


@router.post("/field/observations/new", response_model=None)
async def field_observation_form(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return await _post(request, db, actor, language, RiskObservationIn, "observation")


@router.post("/field/notes/new", response_model=None)
async def field_note_form(
    request: Request, db: DatabaseDep, actor: ActorDep, language: LanguageDep
) -> Response:
    return await _post(request, db, actor, language, FieldNoteIn, "note")
