"""Decision records share one format and one numbering without gaps; links to them resolve."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDS = sorted((ROOT / "docs" / "decisions").glob("*.md"))
SECTIONS = ["## Context", "## Decision", "## Consequences"]


def test_records_are_numbered_from_0001_without_a_gap() -> None:
    numbers = [int(p.name[:4]) for p in RECORDS]
    assert numbers == list(range(1, len(RECORDS) + 1))
    assert all(re.fullmatch(r"\d{4}-[a-z0-9-]+\.md", p.name) for p in RECORDS)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_record_has_title_status_date_and_the_three_sections(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.startswith(f"# {path.name[:4]} — ")
    assert re.search(r"^- \*\*Status:\*\* (proposed|accepted|superseded by \d{4})$", text, re.M)
    found = re.search(r"^- \*\*Date:\*\* (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert found and date.fromisoformat(found.group(1))
    positions = [text.find(f"\n{heading}\n") for heading in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), path.name


def test_every_link_to_a_record_resolves() -> None:
    names = {p.name for p in RECORDS}
    documents = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    for document in documents:
        for linked in re.findall(r"decisions/(\d{4}-[a-z0-9-]+\.md)", document.read_text("utf-8")):
            assert linked in names, f"{document.name} links to a missing record {linked}"
