"""Server-rendered pages: Jinja2 with gettext translations chosen per request."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import pycountry
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from itinera.domain.access import Action, can
from itinera.domain.analytics.month_labels import month_label
from itinera.domain.text import localise
from itinera.web.i18n import LANGUAGE_COOKIE, LANGUAGES, direction, translations
from itinera.web.labels import LABELS
from itinera.web.security import csrf_token, current_user
from itinera.web.static_files import static_url

__all__ = ["render"]

_templates = Jinja2Templates(directory=str(resources.files("itinera.web") / "templates"))
_templates.env.globals["localise"] = localise
_starlette_url_for: Any = _templates.env.globals["url_for"]


@pass_context
def _url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> Any:
    """``url_for('static', path=…)`` gives the content-hashed URL (cached for a year)."""
    if name == "static":
        return static_url(str(path_params["path"]))
    return _starlette_url_for(context, name, **path_params)


_templates.env.globals["url_for"] = _url_for
_templates.env.globals["csrf_token"] = csrf_token  # C8: hidden field of every form post
_templates.env.globals["current_user"] = current_user  # C8: the logged-in actor or None
_templates.env.globals["allowed"] = lambda request, action: _allowed(request, action)
_templates.env.globals["LANGUAGES"] = {"en": "English", "fr": "Français", "ar": "العربية"}


def _allowed(request: Request, action: str) -> bool:
    """For templates: may the logged-in person do ``action`` (a value of ``Action``)?"""
    actor = current_user(request)
    return actor is not None and can(actor, Action(action))


def local_date(value: date | datetime | None, language: str) -> str:
    """A date in the reader's locale ("1 déc. 2026", "١ ديسمبر ٢٠٢٦" …), never ISO codes."""
    if value is None:
        return "—"
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, "medium", locale=language)


def local_datetime(value: datetime | str | None, language: str) -> str:
    """A moment in the reader's locale, to the minute (no seconds, no microseconds)."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(moment, "short", locale=language)


def local_number(value: float | int | None, language: str) -> str:
    return "—" if value is None else format_decimal(value, locale=language)


def country_name(code: str | None, language: str) -> str:
    """An ISO 3166 alpha-3 code as the country's name in the reader's language."""
    if not code:
        return "—"
    country = pycountry.countries.get(alpha_3=code.upper())
    if country is None:
        special = LABELS["country_special"].get(code.upper())
        return translations(language).gettext(special) if special else code
    name = Locale.parse(language).territories.get(country.alpha_2)
    return name or str(country.name)


@cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(alpha-3 code, name in ``language``) of every country, sorted by name, then the two
    codes of travel documents for no or an unknown nationality."""
    named = sorted(
        ((c.alpha_3, country_name(c.alpha_3, language)) for c in pycountry.countries),
        key=lambda pair: pair[1].casefold(),
    )
    return (*named, ("XXA", country_name("XXA", language)), ("XXX", country_name("XXX", language)))


def language_name(code: str, language: str) -> str:
    """An ISO 639-1 code as the language's name in the reader's language."""
    return Locale.parse(language).languages.get(code) or code


def weekday_name(day: int | None, language: str) -> str:
    """Monday = 0 as the day's name in the reader's language."""
    if day is None:
        return ""
    return str(Locale.parse(language).days["format"]["wide"][day])


_templates.env.globals["weekday_name"] = weekday_name
_SEED = re.compile(r"\bseeds? (\d{3})")


def citation(text: str, language: str) -> str:
    """A catalogue citation ("seed 002 §6.2") in the reader's language: the seeds are the
    reference documents the catalogue was written from (docs/reference-data.md)."""
    gettext = translations(language).gettext
    return _SEED.sub(lambda m: gettext("reference document %(number)s") % {"number": m[1]}, text)


def local_month(value: date | None, language: str) -> str:
    """A month in the reader's locale ("avril 2025", "أبريل ٢٠٢٥"): what data are "as of"."""
    return "—" if value is None else format_date(value, "LLLL y", locale=language)


_templates.env.globals["local_date"] = local_date
_templates.env.globals["local_month"] = local_month
_templates.env.globals["month_name"] = lambda code, language: (
    month_label(code, language) if isinstance(code, str) else code
)
_templates.env.globals["citation"] = citation
_templates.env.globals["local_datetime"] = local_datetime
_templates.env.globals["language_name"] = language_name
_templates.env.globals["countries"] = countries
_templates.env.globals["country_name"] = country_name
_templates.env.globals["LABELS"] = LABELS
_templates.env.filters["fromiso"] = lambda text: date.fromisoformat(text) if text else None
_templates.env.filters["fromiso_datetime"] = lambda text: (
    datetime.fromisoformat(text) if text else None
)
_templates.env.filters["pager_query"] = lambda params, page: urlencode(
    [(k, v) for k, v in params.multi_items() if k != "page"] + [("page", str(page))]
)
_templates.env.globals["local_number"] = local_number


def render(
    request: Request, template: str, language: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render ``template`` in ``language``; remember an explicit ``?lang=`` in a cookie."""
    catalog = translations(language)
    response = _templates.TemplateResponse(
        request,
        template,
        {
            "lang": language,
            "dir": direction(language),
            # the arrow of a leg points the way reading goes: right in ltr, left in rtl
            "arrow": "←" if direction(language) == "rtl" else "→",
            # and "back" (to the list a page came from) points the other way
            "back_arrow": "→" if direction(language) == "rtl" else "←",
            "_": catalog.gettext,
            "ngettext": catalog.ngettext,
            "settings": request.app.state.settings,
            **context,
        },
        status_code=status_code,
    )
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax")
    return response
