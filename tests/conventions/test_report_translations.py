"""Every string of the route reports (domain ``reports``) has a French and an Arabic
translation, with every plural form of the language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2] / "src" / "itinera"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def _messages() -> set[str]:
    found: set[str] = set()
    for folder, methods in (
        (ROOT / "reports", [("**.py", "python"), ("templates/**.html", "jinja2")]),
        (ROOT / "services" / "reports", [("**.py", "python")]),
    ):
        options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
        for *_, message, _comments, _context in extract_from_dir(
            str(folder), methods, options, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize(("language", "forms"), [("fr", 2), ("ar", 6)])
def test_report_catalog_translates_every_message(language: str, forms: int) -> None:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "reports.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    assert catalog.num_plurals == forms
    translated = set()
    for m in catalog:
        if not m.id:
            continue
        if isinstance(m.string, tuple):
            assert len(m.string) == forms and all(m.string), m.id
        if m.string:
            translated.add(m.id[0] if isinstance(m.id, tuple) else m.id)
    messages = _messages()
    assert len(messages) > 50
    assert sorted(messages - translated) == []
