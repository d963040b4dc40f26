from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_overview_lists_every_route_with_a_map(client: TestClient) -> None:
    html = client.get("/").text
    assert 'id="overview-map"' in html
    assert html.count('data-route-id="') == 8


@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [
        ("en", "ltr", "Mixed movement routes"),
        ("fr", "ltr", "Routes des mouvements mixtes"),
        ("ar", "rtl", "مسارات التحركات المختلطة"),
    ],
)
def test_pages_are_translated_and_arabic_is_right_to_left(
    client: TestClient, lang: str, direction: str, heading: str
) -> None:
    html = client.get("/", params={"lang": lang}).text
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert heading in html


def test_browser_language_is_used_and_an_explicit_choice_sticks(client: TestClient) -> None:
    assert 'lang="fr"' in client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
    client.get("/", params={"lang": "ar"})
    assert 'dir="rtl"' in client.get("/routes/central-mediterranean").text


def test_route_page_and_missing_route(client: TestClient) -> None:
    page = client.get("/routes/central-mediterranean", params={"lang": "en"})
    assert page.status_code == 200
    assert "Countries and their roles" in page.text
    missing = client.get("/routes/atlantis")
    assert missing.status_code == 404
    assert "atlantis" in missing.text
