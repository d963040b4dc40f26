"""The short "what changed" sentences of a report's key figures, in the report's language.

Counts go through ``ngettext`` so that each language applies its own plural rules (Arabic has
six forms, French two); numbers are formatted by Babel for the locale and isolated in ``<bdi>``
so that Latin digits keep their order inside a right-to-left sentence.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations
from markupsafe import Markup, escape

__all__ = ["change_sentences", "number"]


def number(value: float | None, language: str) -> str:
    if value is None:
        return "–"
    return format_decimal(round(value), locale=language)


def _bdi(text: str) -> Markup:
    return Markup("<bdi>{}</bdi>").format(text)


def _sentence(
    t: NullTranslations,
    language: str,
    name: str,
    value: float | None,
    other: float | None,
    versus: str,
) -> Markup:
    if value is None or other is None:
        message = t.gettext(
            "%(indicator)s: no comparison with %(versus)s (a figure is missing or suppressed)."
        )
        return Markup(escape(message)) % {"indicator": name, "versus": versus}
    change = round(value - other)
    relative = f" ({format_percent(change / other, locale=language)})" if other else ""
    if change == 0:
        message = t.gettext("%(indicator)s: %(value)s, unchanged compared with %(versus)s.")
        return Markup(escape(message)) % {
            "indicator": name,
            "value": _bdi(number(value, language)),
            "versus": versus,
        }
    if change > 0:
        message = t.ngettext(
            "%(indicator)s: %(value)s, %(num)s person more than %(versus)s%(relative)s.",
            "%(indicator)s: %(value)s, %(num)s persons more than %(versus)s%(relative)s.",
            abs(change),
        )
    else:
        message = t.ngettext(
            "%(indicator)s: %(value)s, %(num)s person fewer than %(versus)s%(relative)s.",
            "%(indicator)s: %(value)s, %(num)s persons fewer than %(versus)s%(relative)s.",
            abs(change),
        )
    return Markup(escape(message)) % {
        "indicator": name,
        "value": _bdi(number(value, language)),
        "num": _bdi(number(abs(change), language)),
        "versus": versus,
        "relative": _bdi(relative) if relative else "",
    }


def change_sentences(
    key_figures: list[dict[str, Any]], names: dict[str, str], t: NullTranslations, language: str
) -> list[Markup]:
    """Two sentences per key figure: against the previous period and the same period a year
    earlier."""
    sentences = []
    for figure in key_figures:
        name = names.get(figure["indicator"], figure["indicator"])
        sentences.append(
            _sentence(
                t,
                language,
                name,
                figure["value"],
                figure["previous"],
                t.gettext("the previous period"),
            )
        )
        sentences.append(
            _sentence(
                t,
                language,
                name,
                figure["value"],
                figure["year_ago"],
                t.gettext("the same period a year earlier"),
            )
        )
    return sentences
