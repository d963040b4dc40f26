"""Form problems as sentences in the page's language, naming each field by its label:
"Please fill in “Given name”." rather than "given_name: Field required".

The messages are English message ids of the catalogs (``MESSAGES``, checked for fr and ar by
``tests/conventions/test_translations.py``); service messages, written for logs and the API,
never reach a page as they are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from itinera.domain.errors import ConflictError, ItineraError, PermissionDeniedError
from itinera.domain.errors import ValidationError as DomainValidationError
from itinera.web.i18n import translations
from itinera.web.labels import LABELS

__all__ = ["MESSAGES", "plain_problems"]

MESSAGES = {
    "missing": "Please fill in “%(label)s”.",
    "pattern": "“%(label)s” is not written as expected: see the example next to it.",
    "date": "“%(label)s” must be a date.",
    "too_long": "“%(label)s” is too long.",
    "invalid": "Please check “%(label)s”: this value cannot be used.",
    "conflict": "Someone changed this record meanwhile. Open it again and repeat your change.",
    "denied": "Your account may not do this.",
    "consent": "The person has not agreed to this use of their data: record their consent first.",
    "other": "This could not be saved. Please check the form.",
    "country": "“%(label)s” must be a known country code, such as GIN for Guinea (XXA for a "
    "stateless person, XXX when unknown).",
    "past_120": "“%(label)s” must be a date in the past 120 years.",
    "not_future": "“%(label)s” cannot be in the future.",
    "not_past": "“%(label)s” cannot be in the past.",
    "own_organisation": "Refer to another organisation than your own.",
    "unknown_choice": "“%(label)s”: this choice is not in the list.",
    "keep_registration": "Registration cannot be withdrawn while the case is kept: ask for the "
    "case to be erased instead.",
    "outcome": "Please write the outcome for the sender in “%(label)s”.",
    "undetected": "The file's type was not recognised: choose the reader that reads it in "
    "“%(label)s”.",
}
# (field, start of the service's message) → the sentence a page shows instead
_KNOWN = {
    ("nationality", "unknown ISO 3166"): "country",
    ("date_of_birth", "must be in the past"): "past_120",
    ("arrival_date", "cannot be in the future"): "not_future",
    ("due_date", "cannot be in the past"): "not_past",
    ("to_organisation_id", "refer to another"): "own_organisation",
    ("to_organisation_id", "unknown organisation"): "unknown_choice",
    ("route_id", "unknown route"): "unknown_choice",
    ("purposes", "registration cannot be withdrawn"): "keep_registration",
    ("reason", "an outcome note"): "outcome",
    ("reader", "the file's type was not recognised"): "undetected",
}


def _kind(field: str, message: str, typed: Mapping[str, Any]) -> str:
    known = next(
        (k for (f, start), k in _KNOWN.items() if f == field and message.startswith(start)), None
    )
    if known:
        return known
    return "missing" if not typed.get(field) else "invalid"


_PYDANTIC = {
    "missing": "missing",
    "string_pattern_mismatch": "pattern",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_type": "date",
    "string_too_long": "too_long",
    "string_too_short": "missing",
}


def _label(field: str, language: str) -> str:
    name = field.split(".")[0].split("[")[0]
    return translations(language).gettext(LABELS["field"].get(name, "Other information"))


def _sentence(kind: str, field: str, language: str) -> dict[str, str]:
    text = translations(language).gettext(MESSAGES[kind])
    return {"field": field, "message": text % {"label": _label(field, language)}}


def plain_problems(
    exc: Exception, language: str, typed: Mapping[str, Any] | None = None
) -> list[dict[str, str]]:
    """``exc`` as the ``problems`` list of the form templates: field and a plain sentence."""
    typed = typed or {}
    if isinstance(exc, PydanticValidationError):
        found = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"] if not isinstance(p, int)) or "body"
            found.append(_sentence(_PYDANTIC.get(error["type"], "invalid"), field, language))
        return found
    if isinstance(exc, DomainValidationError) and exc.errors:
        return [_sentence(_kind(e.field, e.message, typed), e.field, language) for e in exc.errors]
    gettext = translations(language).gettext
    if isinstance(exc, ConflictError):
        return [{"field": "", "message": gettext(MESSAGES["conflict"])}]
    if isinstance(exc, PermissionDeniedError):
        kind = "consent" if exc.code == "consent_required" else "denied"
        return [{"field": "", "message": gettext(MESSAGES[kind])}]
    assert isinstance(exc, ItineraError)
    return [{"field": "", "message": gettext(MESSAGES["other"])}]
