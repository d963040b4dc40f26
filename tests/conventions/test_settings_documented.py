"""Every setting is documented in docs/settings.md (after datasette)."""

from __future__ import annotations

from pathlib import Path

from itinera.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text("utf-8")
    missing = [name for name in Settings.model_fields if f"ITINERA_{name.upper()}" not in text]
    assert missing == []
