"""The gap matrix of the Central Mediterranean in a real Chromium, in English, French and
Arabic: empty cells flagged beside the movement figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.services.activities.importing import import_activities
from itinera.services.movements.importing import import_file
from itinera.storage.database import Database

pytestmark = [pytest.mark.e2e, pytest.mark.shared_data]

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FLAG = {
    "en": "Gap: movement, no actor",
    "fr": "Lacune : des mouvements, aucun acteur",
    "ar": "فجوة: تنقّلات بلا جهة فاعلة",
}


@pytest.fixture
def base_url(tmp_path: Path, live_server: Callable[[str], str]) -> str:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    import_file(
        db,
        SYSTEM,
        "unhcr-arrivals",
        DATA / "unhcr-med-arrivals-2014-2019" / "unhcr_arrivals_12_31.csv",
    )
    import_activities(db, SYSTEM, DATA / "hxl-examples-legacy-showcase-2014" / "rowca-3w-hxl.csv")
    db.dispose()
    return base


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_gap_matrix_flags_empty_cells_beside_movement(
    page: Page, base_url: str, language: str
) -> None:
    page.goto(f"{base_url}/routes/central-mediterranean/gaps?year=2014&lang={language}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    italy = page.locator("#gap-matrix tr[data-country=ITA]")
    expect(italy.locator("td.movement")).to_contain_text("170")
    expect(italy.locator("td.gap")).to_have_count(6)
    expect(italy.locator("td.gap").first).to_contain_text(FLAG[language])
    mali = page.locator("#gap-matrix tr[data-country=MLI][data-role=origin]")
    expect(mali.locator("td[data-pillar='3']")).to_have_attribute("data-organisations", "10")
    expect(mali.locator("td.gap")).to_have_count(0)
    expected = page.request.get(
        f"{base_url}/api/routes/central-mediterranean/gap-matrix?year=2014"
    ).json()["gaps"]
    expect(page.locator("#gap-matrix td.gap")).to_have_count(expected)


def test_changing_the_year_reloads_the_matrix(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/routes/central-mediterranean/gaps?year=2014&lang=en")
    page.fill("#gap-year", "2015")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(f"{base_url}/routes/central-mediterranean/gaps?lang=en&year=2015")
    mali = page.locator("#gap-matrix tr[data-country=MLI][data-role=origin]")
    expect(mali.locator("td[data-pillar='3']")).to_have_attribute("data-activities", "0")
