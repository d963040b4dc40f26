"""The words a route page's charts show (issue 12): the analytics service names series and
categories by code (indicators, route ids, ISO 3166 country codes, "other"); a reader sees
them in the page's language, in the chart's legend and in its table alike."""

from __future__ import annotations

from typing import Any

from itinera.domain.analytics.month_labels import month_label
from itinera.web.i18n import translations
from itinera.web.templating import country_name

__all__ = ["speak_charts"]

# the analytics service's own series names, with the words the catalogues translate
_WORDS = {"per_thousand": "Mortality rate", "unknown": "unknown", "other": "other"}


def speak_charts(
    charts: list[dict[str, Any]], language: str, route_names: dict[str, str]
) -> list[dict[str, Any]]:
    """A copy of ``charts`` with every code shown replaced by its words, and months by their
    names in ``language`` (the time axis)."""
    gettext = translations(language).gettext

    def word(code: Any) -> Any:
        if not isinstance(code, str):
            return code
        if code in route_names:
            return route_names[code]
        if len(code) == 3 and code.isupper():
            return country_name(code, language)
        return gettext(_WORDS.get(code, code))

    spoken = []
    for chart in charts:
        by_category = chart["id"] in ("chart-nationality", "chart-country")
        labels = [
            word(label) if by_category else month_label(str(label), language)
            for label in chart["labels"]
        ]
        datasets = [{**d, "label": word(d["label"])} for d in chart["datasets"]]
        rows = [[labels[i], *row[1:]] for i, row in enumerate(chart["rows"])]
        spoken.append(
            {
                **chart,
                "labels": labels,
                "datasets": datasets,
                "header": [d["label"] for d in datasets],
                "rows": rows,
            }
        )
    return spoken
