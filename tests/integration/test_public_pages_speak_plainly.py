"""Plain language on the public pages (issue 12): a French or Arabic dashboard, route page,
service directory, sources page or help page shows no code of a known vocabulary (indicators,
service types, route ids, country codes of the catalogue, "seed …" citations) and no English
text of the catalogue where the catalogue has the page's language. Over the demo data."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.reference.catalogue import load_catalogue
from itinera.services.setup import initialise

CATALOGUE = load_catalogue()
ROUTES = sorted(CATALOGUE.routes)
VOCABULARY = (
    set(CATALOGUE.indicators)
    | {item.code for items in CATALOGUE.items.values() for item in items if "-" in item.code}
    | set(ROUTES)
    | {c.country for route in CATALOGUE.routes.values() for c in route.countries}
)
SEED_CITATION = re.compile(r"\bseeds? \d{3}\b")
PUBLIC_PAGES = [
    "/",
    "/?from=2019-01&to=2019-12",
    *(f"/routes/{route}" for route in ROUTES),
    "/services",
    "/sources",
]


def visible_text(page: str) -> str:
    """What a reader sees: no tags, attributes, scripts or styles; leaves out what a page marks
    ``translate="no"`` (file names, publishers' own dataset titles)."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r'(?s)<(\w+)\b[^>]*\btranslate="no"[^>]*>.*?</\1>', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def codes_in(page: str) -> list[str]:
    text = visible_text(page)
    found = {c for c in VOCABULARY if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)}
    return sorted(found | set(SEED_CITATION.findall(text)))


def english_left_in(page: str, language: str) -> list[str]:
    """Catalogue strings (route names and descriptions, reference items' names) shown in
    English on a page whose language the catalogue has a different text for."""
    text = " ".join(visible_text(page).split())
    texts = [route.name for route in CATALOGUE.routes.values()]
    texts += [route.description for route in CATALOGUE.routes.values()]
    texts += [item.name for items in CATALOGUE.items.values() for item in items]
    return sorted(
        t["en"]
        for t in texts
        if t.get(language) and t[language] != t["en"] and len(t["en"]) > 12 and t["en"] in text
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('public')) / 'itinera.db'}"
    settings = Settings(database_url=url, environment="test")
    initialise(settings, demo=True)
    with TestClient(build_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_public_pages_show_no_code_and_no_english_catalogue_text(
    client: TestClient, language: str
) -> None:
    codes, english = {}, {}
    for path in PUBLIC_PAGES:
        joined = "&" if "?" in path else "?"
        answer = client.get(f"{path}{joined}lang={language}", headers={"Accept": "text/html"})
        assert answer.status_code == 200, path
        if found := codes_in(answer.text):
            codes[path] = found
        if left := english_left_in(answer.text, language):
            english[path] = left
    assert codes == {}, f"codes shown on {language} pages: {codes}"
    assert english == {}, f"English catalogue text on {language} pages: {english}"


def test_the_checks_can_fail() -> None:
    assert codes_in("<td>irregular_crossings_detected</td><p>seed 002 §6.2</p>") == [
        "irregular_crossings_detected",
        "seed 002",
    ]
    route = CATALOGUE.routes["central-mediterranean"]
    assert english_left_in(f"<h1>{route.name['en']}</h1>", "fr") == [route.name["en"]]


def test_the_country_filter_matches_the_country_of_the_point(client: TestClient) -> None:
    """UNHCR's 3W gives "Mali Situation" as the country of points in Niger and Burkina Faso
    (their admin-1 cell names the country); the HSDS bundle writes alpha-2 codes."""

    def names(country: str) -> set[str]:
        answer = client.get("/api/services", params={"country": country})
        assert answer.status_code == 200, answer.text
        return {p["name"] for p in answer.json()}

    assert "ACTED – Niger" in names("NER")
    assert not any(name.endswith("– Niger") for name in names("MLI"))
    assert "UNHCR – Bekaa" in names("LBN")
