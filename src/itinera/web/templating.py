"""Server-rendered pages: Jinja2 with gettext translations chosen per request."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from itinera.domain.text import localise
from itinera.web.i18n import LANGUAGE_COOKIE, LANGUAGES, direction, translations
from itinera.web.security import csrf_token, current_user

__all__ = ["render"]

_templates = Jinja2Templates(directory=str(resources.files("itinera.web") / "templates"))
_templates.env.globals["localise"] = localise
_templates.env.globals["csrf_token"] = csrf_token  # C8: hidden field of every form post
_templates.env.globals["current_user"] = current_user  # C8: the logged-in actor or None
_templates.env.globals["LANGUAGES"] = {"en": "English", "fr": "Français", "ar": "العربية"}


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
