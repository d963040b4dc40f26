"""Language of a request and the gettext catalogs (Babel) for French, English and Arabic."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations
from fastapi import Request

__all__ = ["LANGUAGES", "RTL_LANGUAGES", "choose_language", "direction", "translations"]

LANGUAGES = ("en", "fr", "ar")
RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_COOKIE = "itinera_lang"


def locale_dir() -> Path:
    return Path(str(resources.files("itinera") / "locale"))


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language``; English (the source language) needs none."""
    if language == "en":
        return NullTranslations()
    found = Translations.load(str(locale_dir()), [language], domain="messages")
    return found


def choose_language(request: Request, default: str = "en") -> str:
    """``?lang=`` first, then the language cookie, then the browser's Accept-Language."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if asked in LANGUAGES:
        return asked
    header = request.headers.get("accept-language", "")
    preferred = [part.split(";")[0].strip().replace("-", "_") for part in header.split(",")]
    chosen = Locale.negotiate([p for p in preferred if p and p != "*"], list(LANGUAGES), sep="_")
    return chosen.language if chosen else default


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"
