"""Text in several languages."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FALLBACK_LANGUAGE", "LocalisedText", "localise"]

FALLBACK_LANGUAGE = "en"

LocalisedText = Mapping[str, str]
"""A text keyed by language code (``{"en": ..., "fr": ...}``)."""


def localise(text: LocalisedText | None, language: str) -> str:
    """Return ``text`` in ``language``, falling back to English, then to any language."""
    if not text:
        return ""
    found = text.get(language) or text.get(FALLBACK_LANGUAGE)
    return found if found else next(iter(text.values()), "")
