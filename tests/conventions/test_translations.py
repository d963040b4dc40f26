"""Every string the pages translate has a French and an Arabic translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from itinera.domain.route import CountryRole, LinkKind, Mode
from itinera.web.labels import all_labels

ROOT = Path(__file__).resolve().parents[2] / "src" / "itinera"
CALL = re.compile(r"""(?<![\w.])_\(\s*(["'])(.+?)\1\s*\)""")
PLURAL = re.compile(r"""ngettext\(\s*(["'])(.+?)\1\s*,""")


def _source_messages() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "web" / "templates").rglob("*.html"):
        text = path.read_text("utf-8")
        found.update(m.group(2) for m in CALL.finditer(text))
        found.update(m.group(2) for m in PLURAL.finditer(text))
    # values the templates translate dynamically: _(c.role.value), _(leg.mode.value), …
    for enum in (CountryRole, Mode, LinkKind):
        found.update(member.value for member in enum)
    found.update(all_labels())  # the words shown for codes (web/labels.py)
    return found


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_catalog_translates_every_message(language: str) -> None:
    with (ROOT / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], f"untranslated in {language}: {missing}"
