"""Early-warning thresholds per route and indicator, read from the reference data (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from itinera.domain.analytics.early_warning import EarlyWarningSettings
from itinera.domain.errors import ReferenceDataError
from itinera.reference.early_warning import early_warning_rules, packaged_early_warning

HEAD = "version: 1\ndefaults: {thresholds: [2, 3, 5], min_ratio: 1.5}\n"


def _rules(tmp_path: Path, text: str) -> object:
    (tmp_path / "early_warning.yaml").write_text(text, encoding="utf-8")
    return early_warning_rules(tmp_path)


def test_the_packaged_rules_give_defaults_and_overrides() -> None:
    rules = packaged_early_warning()
    assert rules.settings("central-mediterranean", "arrivals") == rules.defaults
    override = rules.settings("central-mediterranean", "dead_and_missing")
    assert override.min_ratio == 2.0 and override.thresholds == rules.defaults.thresholds
    assert rules.settings(None, "arrivals") == rules.defaults


def test_an_override_keeps_the_defaults_it_does_not_name(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        HEAD + "overrides:\n  - {route: r-1, indicator: arrivals, thresholds: [1, 2, 4]}\n",
    )
    assert isinstance(rules, type(packaged_early_warning()))
    found = rules.settings("r-1", "arrivals")
    assert found == EarlyWarningSettings(thresholds=(1.0, 2.0, 4.0), min_ratio=1.5)


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ("  - {route: r-1, indicator: arrivals, thresholds: [3, 2, 1]}\n", "increasing"),
        ("  - {route: r-1, indicator: arrivals, min_ratio: 0.5}\n", "0.5"),
        ("  - {route: r-1, indicator: arrivals, colour: red}\n", "colour"),
        ("  - {route: r-1, indicator: no_such_thing}\n", "no_such_thing"),
        ("  - {route: r-1, thresholds: [1, 2, 3]}\n", "indicator"),
        ("  - {route: r-1, indicator: arrivals}\n  - {route: r-1, indicator: arrivals}\n", "twice"),
    ],
)
def test_bad_rules_are_refused_naming_the_file_and_entry(
    tmp_path: Path, overrides: str, words: str
) -> None:
    with pytest.raises(ReferenceDataError) as raised:
        _rules(tmp_path, HEAD + "overrides:\n" + overrides)
    assert "early_warning.yaml" in str(raised.value) and words in str(raised.value)
