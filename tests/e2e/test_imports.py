"""Importing in a real Chromium: an analyst logs in, uploads the real 2026 Missing Migrants
file through the import page, reads the report, downloads the issues CSV, opens the sources."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from itinera.domain.access import SYSTEM
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

pytestmark = pytest.mark.e2e

PASSWORD = "a long pass phrase"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MMP_2026 = SHARED / "mmp-global-2026-05-partial" / "MissingMigrants-Global-2026-05-06--19_42_11.csv"


@pytest.mark.shared_data
def test_an_analyst_imports_the_real_file_and_reads_the_report(
    page: Page, tmp_path: Path, live_server: Callable[[str], str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    base = live_server(url)
    db = Database(url)
    try:
        accounts.create_organisation(db, SYSTEM, "IOM Data Unit", "un", "IOM")
        accounts.create_user(db, SYSTEM, "amal", "IOM", "analyst", PASSWORD)
    finally:
        db.dispose()

    page.goto(f"{base}/imports?lang=en")  # not logged in: sent to the login page first
    page.get_by_label("Username").fill("amal")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Import movement data")

    page.get_by_label("Reader", exact=True).select_option("missing-migrants")
    page.get_by_label("File (CSV or XLSX)").set_input_files(str(MMP_2026))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "imported")
    expect(page.locator("#rows-read")).to_have_text("238")
    expect(page.locator("#incidents-stored")).to_have_text("238")
    expect(page.locator("#rows-rejected")).to_have_text("0")
    expect(page.locator("#issue-count")).to_have_text("2")
    expect(page.locator("#unmapped-routes")).to_contain_text("Mainland Europe to the UK")
    expect(page.locator("#issues tbody tr")).to_have_count(2)

    with page.expect_download() as download:
        page.locator("#issues-csv").click()
    saved = tmp_path / "issues.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["severity"], r["row"], r["column"]) for r in rows] == [
        ("warning", "162", "Number of Survivors"),
        ("warning", "197", "Minimum Estimated Number of Missing"),
    ]

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
    source = page.locator('article[data-source="iom-mmp"]')
    expect(source).to_contain_text("IOM Missing Migrants Project")
    expect(source).to_contain_text("2026-05-06")
    # 212 figures and 4 monthly corrections kept as MMP publishes them, and 24 route-month
    # figures of incidents placed on a route by their coordinates (issue 11)
    expect(source.locator(".figure-count")).to_have_text("240")
    expect(source).to_contain_text("MissingMigrants-Global-2026-05-06--19_42_11.csv")
