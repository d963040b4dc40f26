"""A report's content → HTML (Jinja2) → PDF (WeasyPrint, tagged PDF/UA-1, figures attached).

The layout uses block and table boxes only (WeasyPrint's right-to-left support has gaps in flex
layouts and floats); numbers and Latin names are isolated with ``<bdi>``. The PDF carries every
figure's CSV and ``provenance.json`` (sources, vintages, batches, freshness token), so that any
number can be checked from the file alone.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from typing import Any

import weasyprint
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, select_autoescape

from itinera.domain.analytics.month_labels import month_label
from itinera.reports import charts
from itinera.reports.figures import figure_tables, to_csv
from itinera.reports.names import category_name
from itinera.reports.sentences import change_sentences, number
from itinera.reports.translation import report_translations

__all__ = ["render_html", "render_pdf"]


@cache
def _environment(language: str) -> Environment:
    """One environment per language, so that the template is compiled once per process."""
    env = Environment(
        loader=PackageLoader("itinera.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(report_translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = lambda v: number(v, language)
    env.filters["direction"] = _direction
    env.filters["month"] = lambda code: month_label(str(code), language)
    env.filters["dec"] = lambda v: "–" if v is None else format_decimal(v, locale=language)
    env.filters["category"] = lambda code, by: category_name(by, code or "", language)
    return env


_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _direction(text: str) -> str:
    """The base direction of free text (WeasyPrint does not resolve ``dir="auto"``)."""
    return "rtl" if _RTL.search(text or "") else "ltr"


def _charts(content: dict[str, Any], labels: dict[str, Any], language: str) -> dict[str, str]:
    t = report_translations(language)
    names = labels["indicators"]
    found: dict[str, str] = {}
    for k in content["key_figures"]:
        if all(p["value"] is None for p in k["points"]):
            continue  # nothing published for the period: the table below says so, no empty axes
        mark = "line" if k["indicator"] == content["flow_indicator"] else "bar"
        spec = charts.series_chart(k["points"], names.get(k["indicator"], ""), language, mark)
        found[f"monthly_{k['indicator']}"] = charts.render(spec, language)
    for by in ("nationality", "country"):
        items = content["breakdowns"].get(by, [])
        if all(i["category"] in ("unknown", "other") for i in items):
            continue  # a breakdown no source gives is said in words, not drawn
        rows = [(category_name(by, i["category"], language), i["total"]) for i in items]
        if rows:
            spec = charts.bar_chart(rows, t.gettext("persons"), language)
            found[f"by_{by}"] = charts.render(spec, language)
    by_type = content["observation_counts"]["incident_type"]["rows"]
    if by_type:
        kinds = labels["incident_types"]
        rows = [(kinds.get(r["category"], r["category"]), r["observations"]) for r in by_type]
        spec = charts.bar_chart(rows, t.gettext("observations"), language)
        found["risk_observations_by_incident_type"] = charts.render(spec, language)
    points = [o for o in content["observations"] if o["latitude"] is not None]
    found["map"] = charts.render(
        charts.route_map(content["geometry"], points, language, t.gettext("observations")), language
    )
    return found


def render_html(content: dict[str, Any], labels: dict[str, Any], provenance: dict[str, Any]) -> str:
    language = content["language"]
    t = report_translations(language)
    template = _environment(language).get_template("route_report.html")
    return template.render(
        c=content,
        labels=labels,
        lang=language,
        dir="rtl" if language == "ar" else "ltr",
        route_name=content["route"]["name"].get(language) or content["route"]["name"]["en"],
        sentences=change_sentences(content["key_figures"], labels["indicators"], t, language),
        charts=_charts(content, labels, language),
        tables={table.id: table for table in figure_tables(content)},
        provenance=provenance,
        generated=format_date(date.fromisoformat(provenance["generated"]), locale=language),
    )


def render_pdf(html: str, content: dict[str, Any], provenance: dict[str, Any]) -> bytes:
    attachments = [
        weasyprint.Attachment(
            string=to_csv(table), name=f"{table.id}.csv", description=f"figure {table.id}"
        )
        for table in figure_tables(content)
    ]
    attachments.append(
        weasyprint.Attachment(
            string=json.dumps(provenance, indent=2, ensure_ascii=False),
            name="provenance.json",
            description="sources, vintages, import batches and the data's freshness token",
        )
    )
    document = weasyprint.HTML(string=html)
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1", attachments=attachments)
    return pdf
