"""Charts and periods name months in the reader's language (issue 12): the route page's time
axis, its period and the report's chart say "févr. 2024" or "فبراير 2024", never ``2024-02``."""

from __future__ import annotations

import json
import re
from html import unescape

from fastapi.testclient import TestClient

from itinera.reports.charts import series_chart

PARAMS = {"indicator": "irregular_crossings_detected", "from": "2024-01", "to": "2024-03"}
EXPECTED = {
    "en": ["Jan 2024", "Feb 2024", "Mar 2024"],
    "fr": ["janv. 2024", "févr. 2024", "mars 2024"],
    "ar": ["يناير 2024", "فبراير 2024", "مارس 2024"],
}


def _chart_labels(html: str, chart_id: str) -> list[str]:
    found = re.search(rf"<canvas id=\"{chart_id}\"[^>]*data-chart='([^']*)'", html)
    assert found is not None, f"no {chart_id} on the page"
    data = json.loads(unescape(found.group(1)))
    return [str(label) for label in data["labels"]]


def test_route_page_charts_and_period_name_months_in_the_page_language(
    analyst: TestClient,
) -> None:
    for lang, months in EXPECTED.items():
        page = analyst.get(
            "/routes/central-mediterranean",
            params={**PARAMS, "lang": lang},
            headers={"Accept": "text/html"},
        )
        assert page.status_code == 200
        assert _chart_labels(page.text, "chart-flow") == months
        figures = page.text.split('id="route-key-figures"', 1)[1].split("</dl>", 1)[0]
        assert f"{months[0]} – {months[-1]}" in figures
        assert "2024-01" not in figures


def test_report_charts_name_months_in_the_report_language_in_order() -> None:
    points = [{"month": m, "value": 3} for m in ("2023-12", "2024-01", "2024-02")]
    for lang, expected in (("fr", ["déc. 2023", "janv. 2024"]), ("ar", ["ديسمبر 2023"])):
        spec = series_chart(points, "x", lang)
        shown = [v["month"] for v in spec["data"]["values"]]
        assert shown[: len(expected)] == expected
        assert spec["encoding"]["x"]["sort"] is None  # the series' order, not the alphabet
        # an Arabic reader's time axis starts on the right, with the values' axis beside it
        assert spec["encoding"]["x"]["scale"]["reverse"] is (lang == "ar")
        assert spec["encoding"]["y"]["axis"]["orient"] == ("right" if lang == "ar" else "left")


def test_a_chart_with_nothing_to_draw_says_so_instead_of_empty_axes(analyst: TestClient) -> None:
    """Axes with no line read as zero; every canvas drawn holds a figure, and a chart of the
    period with none says "no figure" in the reader's language."""
    page = analyst.get(
        "/routes/central-mediterranean",
        params={**PARAMS, "lang": "fr"},
        headers={"Accept": "text/html"},
    ).text
    canvases = re.findall(r"<canvas id=\"([^\"]+)\"[^>]*data-chart='([^']*)'", page)
    assert canvases
    for chart_id, data in canvases:
        values = [v for d in json.loads(unescape(data))["datasets"] for v in d["data"]]
        assert any(v is not None for v in values), f"{chart_id} is drawn with nothing on it"
    empty = re.findall(r'<p class="meta chart-empty" id="([^"]+)-empty">([^<]+)</p>', page)
    assert ("chart-mortality", "Aucun chiffre pour cette période.") in empty
