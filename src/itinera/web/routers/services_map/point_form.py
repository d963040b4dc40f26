"""The service-point edit form: form fields ↔ a :class:`ServicePoint`, with field errors.

Field names follow the API's (``lat``, ``offers[0].opening_hours``…), so the errors that
:func:`validate_service_point` names land next to the right input. Fields the form does not
show (provenance, last verified, extra columns) are kept from the stored point.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from itinera.domain.errors import FieldError
from itinera.domain.service_point import (
    ContactChannel,
    ContactKind,
    PointKind,
    PointStatus,
    Population,
    ServiceOffer,
    ServicePoint,
)

__all__ = ["BLANK_OFFERS", "form_values", "parse_point_form"]

BLANK_OFFERS = 2  # empty offer rows shown below the existing ones
MAX_OFFERS = 40


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(form: FormData, name: str, errors: list[FieldError]) -> float | None:
    text = _text(form, name).replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        errors.append(FieldError(name, f"{text!r} is not a number (decimal degrees)"))
        return None


def _day(form: FormData, name: str, errors: list[FieldError]) -> date | None:
    text = _text(form, name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(name, f"{text!r} is not a date (YYYY-MM-DD)"))
        return None


def _choice(form: FormData, name: str, kind: Any, errors: list[FieldError]) -> Any:
    text = _text(form, name)
    try:
        return kind(text)
    except ValueError:
        choices = ", ".join(k.value for k in kind)
        errors.append(FieldError(name, f"{text!r} is not one of {choices}"))
        return None


def _offers(form: FormData) -> tuple[ServiceOffer, ...]:
    offers = []
    for i in range(MAX_OFFERS):
        code = _text(form, f"offers[{i}].service_type")
        if not code:
            continue
        languages = _text(form, f"offers[{i}].languages").replace(";", ",")
        offers.append(
            ServiceOffer(
                code,
                _text(form, f"offers[{i}].eligibility") or None,
                _text(form, f"offers[{i}].cost") or None,
                tuple(x.strip().lower() for x in languages.split(",") if x.strip()),
                _text(form, f"offers[{i}].opening_hours") or None,
                form.get(f"offers[{i}].referral_required") is not None,
            )
        )
    return tuple(offers)


def _contacts(text: str, errors: list[FieldError]) -> tuple[ContactChannel, ...]:
    """One ``kind: value`` per line (``phone: +48 …``); a bare web address is a website."""
    kinds = {k.value for k in ContactKind}
    found = []
    for number, line in enumerate((x.strip() for x in text.splitlines() if x.strip()), 1):
        kind, separator, value = line.partition(":")
        if separator and kind.strip().lower() in kinds:
            found.append(ContactChannel(ContactKind(kind.strip().lower()), value.strip()))
        elif line.lower().startswith(("http://", "https://")):
            found.append(ContactChannel(ContactKind.WEBSITE, line))
        else:
            choices = ", ".join(sorted(kinds))
            errors.append(FieldError("contacts", f"line {number}: start with one of {choices}"))
    return tuple(found)


def parse_point_form(
    form: FormData, base: ServicePoint
) -> tuple[ServicePoint, int | None, list[FieldError]]:
    """The edited point (``base`` with the form's fields), the version sent, and the problems
    found before the domain rules run (numbers, dates, choices)."""
    errors: list[FieldError] = []
    version_text = _text(form, "version")
    organisation_ids = tuple(
        int(v) for v in form.getlist("organisation_ids") if isinstance(v, str) and v.isdigit()
    )
    populations = tuple(
        Population(v)
        for v in form.getlist("populations")
        if isinstance(v, str) and v in {p.value for p in Population}
    )
    changes: dict[str, Any] = {
        "name": _text(form, "name"),
        "kind": _choice(form, "kind", PointKind, errors) or base.kind,
        "lat": _number(form, "lat", errors),
        "lon": _number(form, "lon", errors),
        "country": _text(form, "country").upper() or None,
        "admin_area": _text(form, "admin_area") or None,
        "locality": _text(form, "locality") or None,
        "organisation_ids": organisation_ids,
        "offers": _offers(form),
        "populations": populations,
        "contacts": _contacts(_text(form, "contacts"), errors),
        "status": _choice(form, "status", PointStatus, errors) or base.status,
        "status_since": _day(form, "status_since", errors),
        "status_until": _day(form, "status_until", errors),
        "notes": _text(form, "notes") or None,
    }
    version = int(version_text) if version_text.isdigit() else None
    return replace(base, **changes), version, errors


def form_values(point: ServicePoint) -> dict[str, Any]:
    """What the form shows for ``point`` (also used to redisplay a rejected form)."""
    return {
        "name": point.name,
        "kind": point.kind.value,
        "lat": "" if point.lat is None else point.lat,
        "lon": "" if point.lon is None else point.lon,
        "country": point.country or "",
        "admin_area": point.admin_area or "",
        "locality": point.locality or "",
        "organisation_ids": list(point.organisation_ids),
        "populations": [p.value for p in point.populations],
        "contacts": "\n".join(f"{c.kind.value}: {c.value}" for c in point.contacts),
        "status": point.status.value,
        "status_since": point.status_since or "",
        "status_until": point.status_until or "",
        "notes": point.notes or "",
        "offers": [{**o.__dict__, "languages": ", ".join(o.languages)} for o in point.offers]
        + [{"service_type": ""} for _ in range(BLANK_OFFERS)],
        "version": point.version,
    }
