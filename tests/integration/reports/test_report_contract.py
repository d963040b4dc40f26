"""Route reports (C4): the CLI and the API answer the report; the stored file is reused until
the data change; the public edition hides what the public may not see; every figure equals the
API's; the PDF is tagged, carries its figures as CSV and reads back, in Arabic too."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.integration.reports.conftest import INTERNAL_NOTE, PUBLIC_NOTE, RESTRICTED_NOTE, ROUTE
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.domain.access import Actor, Role
from itinera.services.services_map import editing
from itinera.storage.database import Database

Q1 = {"from": "2024-01", "to": "2024-03"}
URL = f"/api/routes/{ROUTE}/report"
ARTEFACTS = Path(os.environ.get("ITINERA_TEST_ARTEFACTS", "/tmp/itinera-test-artefacts"))


def _get(client: TestClient, **params: str) -> Any:
    answer = client.get(URL, params={**Q1, **params})
    assert answer.status_code == 200, answer.text[:500]
    return answer


@pytest.fixture(scope="module")
def pdfs(public: TestClient, analyst: TestClient) -> Iterator[dict[tuple[str, str], bytes]]:
    """The Q1 report in French and Arabic, public (as the public) and internal (an analyst)."""
    found = {}
    for lang in ("fr", "ar"):
        found[(lang, "public")] = _get(public, lang=lang, format="pdf").content
        found[(lang, "internal")] = _get(
            analyst, lang=lang, format="pdf", edition="internal"
        ).content
    yield found


def _attachments(pdf: bytes) -> dict[str, list[dict[str, str]]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return {
        name: list(csv.DictReader(io.StringIO(data[0].decode("utf-8"))))
        for name, data in reader.attachments.items()
        if name.endswith(".csv")
    }


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def test_the_cli_writes_the_file_and_exits_0(
    report_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ITINERA_DATABASE_URL", report_db.url)
    monkeypatch.setenv("ITINERA_ENVIRONMENT", "test")
    output = tmp_path / "out" / "report.html"
    args = ["report", "route", ROUTE, "--from", "2024-01", "--to", "2024-03", "--lang", "fr"]
    result = CliRunner(mix_stderr=False).invoke(
        build_cli(), [*args, "--format", "html", "--edition", "internal", "--output", str(output)]
    )
    assert result.exit_code == 0, result.stderr
    html = output.read_text("utf-8")
    assert 'lang="fr"' in html and "Chiffres clés" in html and INTERNAL_NOTE in html
    bad = CliRunner(mix_stderr=False).invoke(
        build_cli(), [*args, "--to", "2023-01", "--output", str(output)]
    )
    assert bad.exit_code == 1 and "ValidationError" in bad.stderr


def test_the_same_request_is_served_from_the_store_until_the_data_change(
    public: TestClient, analyst: TestClient
) -> None:
    first = _get(public, lang="en", format="html")
    again = _get(public, lang="en", format="html")
    assert again.headers["x-itinera-report"] == "stored"
    assert again.content == first.content
    assert again.headers["content-type"].startswith("text/html")
    added = analyst.post(
        "/api/field/notes",
        json={
            "route_id": ROUTE,
            "date": "2024-03-20",
            "text": "New landing point in use.",
            "confidentiality": "public",
        },
    )
    assert added.status_code == 201
    after = _get(public, lang="en", format="html")
    assert after.headers["x-itinera-report"] == "rendered"
    assert "New landing point in use." in after.text


def test_a_service_point_edit_makes_the_next_request_render(
    report_db: Database, public: TestClient
) -> None:
    _get(public, lang="en", format="html")
    assert _get(public, lang="en", format="html").headers["x-itinera-report"] == "stored"
    with report_db.engine.connect() as connection:
        point = connection.execute(text("SELECT id FROM service_points ORDER BY id")).scalar()
    assert point is not None
    editor = Actor("report-editor", frozenset({Role.ADMINISTRATOR}))
    editing.mark_verified(report_db, editor, int(point), None, today=dt.date(2024, 4, 2))
    assert _get(public, lang="en", format="html").headers["x-itinera-report"] == "rendered"
    assert _get(public, lang="en", format="html").headers["x-itinera-report"] == "stored"


def test_the_internal_edition_needs_the_permission(public: TestClient) -> None:
    answer = public.get(URL, params={**Q1, "edition": "internal", "format": "html"})
    assert answer.status_code in (401, 403)
    assert public.get(URL, params={"from": "2024-13", "to": "2024-03"}).status_code == 422


def test_the_public_edition_holds_no_internal_or_restricted_item(
    public: TestClient, analyst: TestClient
) -> None:
    shown = _get(public, lang="en", format="html").text
    inside = _get(analyst, lang="en", format="html", edition="internal").text
    assert PUBLIC_NOTE in shown and PUBLIC_NOTE in inside
    assert INTERNAL_NOTE in inside and INTERNAL_NOTE not in shown
    assert RESTRICTED_NOTE not in inside and RESTRICTED_NOTE not in shown
    # observation types recorded only as internal entries appear in the internal edition only
    for label in ("Sexual violence", "Extortion"):
        assert label in inside and label not in shown
    assert "Forced labour" not in inside  # restricted: never in a report
    assert "Public edition" in shown and "Internal edition" in inside


def test_every_figure_equals_the_api(
    pdfs: dict[tuple[str, str], bytes], public: TestClient, analyst: TestClient
) -> None:
    for (_lang, edition), pdf in pdfs.items():
        client = public if edition == "public" else analyst
        tables = _attachments(pdf)
        assert "key_figures.csv" in tables
        for row in tables["key_figures.csv"]:
            api = client.get(
                f"/api/routes/{ROUTE}/series", params={"indicator": row["indicator"], **Q1}
            ).json()
            assert _number(row["value"]) == api["total"], (edition, row)
            monthly = tables[f"monthly_{row['indicator']}.csv"]
            assert [_number(r["value"]) for r in monthly] == [p["value"] for p in api["points"]]
        counts = client.get(
            "/api/field/observations",
            params={"route_id": ROUTE, "from": "2024-01-01", "to": "2024-03-31"},
        ).json()["counts"]["incident_type"]
        by_type = tables["risk_observations_by_incident_type.csv"]
        assert {r["category"]: int(r["observations"]) for r in by_type} == {
            r["category"]: r["observations"] for r in counts
        }
        assert [_number(r["persons"]) for r in by_type] == [r["persons"] for r in counts]
        assert "provenance.json" in pypdf.PdfReader(io.BytesIO(pdf)).attachments


def test_every_part_of_the_contents_is_there(
    pdfs: dict[tuple[str, str], bytes], public: TestClient, analyst: TestClient
) -> None:
    """Departures with the formula, interceptions by authority, activities by pillar, the
    alerts of the period and what was attributed by place: each has its CSV, its figures are
    the API's, and each section is there in words in both languages."""
    for (_lang, edition), pdf in pdfs.items():
        client = public if edition == "public" else analyst
        tables = _attachments(pdf)
        departures = tables["departures.csv"]
        assert [r["month"] for r in departures] == ["2024-01", "2024-02", "2024-03"]
        arrivals = client.get(
            f"/api/routes/{ROUTE}/series", params={"indicator": "arrivals", **Q1}
        ).json()
        assert [_number(r["arrivals"]) for r in departures] == [
            p["value"] for p in arrivals["points"]
        ]
        for r in departures:
            assert r["formula"] == "departures = arrivals + interceptions"
            if r["departures"]:
                assert float(r["departures"]) == float(r["arrivals"]) + float(r["interceptions"])
        assert "interceptions_by_authority.csv" in tables
        assert "activities_by_pillar.csv" in tables
        alerts = client.get("/api/alerts", params={"route": ROUTE, "months": 240}).json()
        quarter = ("2024-01", "2024-02", "2024-03")
        in_period = sorted(a["month"] for a in alerts["alerts"] if a["month"] in quarter)
        assert in_period  # the demo data raise alerts in this quarter
        assert sorted(r["month"] for r in tables["alerts.csv"]) == in_period
        attributed = {r["indicator"]: r for r in tables["attribution.csv"]}
        detections = attributed["irregular_crossings_detected"]
        assert int(detections["figures_naming_the_route"]) > 0
        assert int(detections["figures_attributed_by_place"]) >= 0
    french = " ".join(
        " ".join(p.extract_text().split())
        for p in pypdf.PdfReader(io.BytesIO(pdfs[("fr", "internal")])).pages
    )
    for heading in ("Départs", "Interceptions par autorité", "Activités par pilier", "Alertes"):
        assert heading in french, heading
    assert "départs = arrivées + interceptions" in french
    assert "Ce qui a été attribué par lieu" in french
    arabic = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdfs[("ar", "internal")])).pages
    )
    assert "عمليات الاعتراض حسب السلطة" in arabic  # interceptions by authority
    assert "الأنشطة حسب الركيزة" in arabic  # activities by pillar


def _tags(node: Any, found: set[str]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _tags(child, found)
    elif isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            _tags(node["/K"], found)


def test_the_pdf_is_tagged_and_reads_back_in_logical_order(
    pdfs: dict[tuple[str, str], bytes],
) -> None:
    for pdf in pdfs.values():
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        tags: set[str] = set()
        _tags(root["/StructTreeRoot"], tags)
        assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/P"} <= tags, tags
    french = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdfs[("fr", "public")])).pages
    )
    assert "Chiffres clés" in french and "Méditerranée centrale" in french
    arabic = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdfs[("ar", "internal")])).pages
    )
    assert "تقرير المسار" in arabic  # "route report", in logical (reading) order
    assert "الموتى والمفقودون" in arabic  # the "what changed" sentence's subject
    assert "الفترة نفسها قبل عام" in arabic  # and its comparison, "the same period a year earlier"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_the_pages_render_to_png(pdfs: dict[tuple[str, str], bytes]) -> None:
    """Artefacts to look at: every page of the four Q1 reports as PNG."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for (lang, edition), pdf in pdfs.items():
        source = ARTEFACTS / f"{ROUTE}-2024Q1-{lang}-{edition}.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(source), str(source.with_suffix(""))],
            check=True,
            timeout=120,
        )
        pages = list(ARTEFACTS.glob(f"{source.stem}-*.png"))
        assert len(pages) >= 6, (lang, edition, len(pages))


def test_two_periods_side_by_side(public: TestClient) -> None:
    answer = _get(public, lang="en", format="html", compare="2023-01..2023-03")
    assert 'id="comparison"' in answer.text and "Jan 2023 – Mar 2023" in answer.text
    french = _get(public, lang="fr", format="html", compare="2023-01..2023-03").text
    assert "janv. 2023 – mars 2023" in french and "2023-01" not in french.split("<body")[1]
    api = public.get(
        f"/api/routes/{ROUTE}/series",
        params={"indicator": "dead_and_missing", "from": "2023-01", "to": "2023-03"},
    ).json()
    row = answer.text.split('id="comparison"')[1].split("</table>")[0]
    assert f"{api['total']:,.0f}" in row
    bad = public.get(URL, params={**Q1, "compare": "2023-03..2023-01"})
    assert bad.status_code == 422 and "compare" in bad.text


def test_a_key_figure_with_nothing_published_has_no_empty_chart(analyst: TestClient) -> None:
    """Each key figure is drawn only when the period has a value; otherwise the report says so
    in words (an empty chart reads as a zero)."""
    page = _get(analyst, lang="en", format="html", edition="internal").text
    drawn = empty = 0
    for indicator in ("arrivals", "dead_and_missing", "interceptions"):
        api = analyst.get(
            f"/api/routes/{ROUTE}/series", params={"indicator": indicator, **Q1}
        ).json()
        has_value = any(p["value"] is not None for p in api["points"])
        chart = f"monthly_{indicator}.csv</bdi>)" in page  # the figure's caption
        assert chart == has_value, (indicator, has_value)
        drawn += has_value
        empty += not has_value
    assert drawn and empty  # the seeded quarter has both kinds
    assert page.count("No figure for this period.") >= empty
