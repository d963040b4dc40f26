"""The tracing request form shared by the page that records a new request and the page that
completes a gateway hand-over: its fields as the API's JSON body, its problems by field name,
and the choices it offers (routes of the catalogue, reasons for separation)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError as SchemaError
from starlette.datastructures import FormData

from itinera.domain.case import Sex
from itinera.domain.text import localise
from itinera.domain.tracing import SeparationReason
from itinera.services.catalogue import routes as route_service

__all__ = ["form_body", "form_choices", "schema_problems"]

_PERSON = (
    "given_name",
    "family_name",
    "sex",
    "nationality",
    "birth_year",
    "last_seen_place",
    "last_seen_date",
    "last_contact_date",
    "separation_reason",
    "route_id",
    "profession",
    "distinguishing_info",
)


def form_choices(db: Any, language: str) -> dict[str, Any]:
    routes = [(r.id, localise(r.name, language)) for r in route_service.list_routes(db)]
    return {
        "sexes": [s.value for s in Sex],
        "routes": sorted(routes, key=lambda r: r[1]),
        "reasons": [r.value for r in SeparationReason],
    }


def form_body(form: FormData) -> dict[str, Any]:
    """The JSON shape of the API's request from the form's fields (empty ones left out)."""

    def text(name: str) -> str | None:
        value = str(form.get(name, "")).strip()
        return value or None

    person: dict[str, Any] = {f: text(f) for f in _PERSON if text(f) is not None}
    if "nationality" in person:
        person["nationality"] = str(person["nationality"]).upper()
    languages = (text("languages") or "").replace(",", " ").lower().split()
    if languages:
        person["languages"] = languages
    return {
        "inquirer": {
            "given_name": text("inquirer_given_name"),
            "family_name": text("inquirer_family_name"),
            "contact": text("inquirer_contact"),
        },
        "sought": [person],
        "relationship": text("relationship") or "",
        "consent": {"purposes": ["tracing"] if form.get("consent") == "tracing" else []},
        "medical_urgency": form.get("medical_urgency") == "yes",
    }


def schema_problems(error: SchemaError) -> list[dict[str, str]]:
    def field(loc: tuple[Any, ...]) -> str:
        if loc[:1] == ("inquirer",):
            return f"inquirer_{loc[1]}" if len(loc) > 1 else "inquirer_given_name"
        if loc[:1] == ("sought",):
            return next((str(p) for p in loc[2:] if isinstance(p, str)), "given_name")
        return str(loc[0])

    return [{"field": field(tuple(e["loc"])), "message": e["msg"]} for e in error.errors()]
