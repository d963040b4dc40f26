"""Screening files are validated on load; errors name the file, the rule and the culprit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from itinera.domain.errors import ReferenceDataError
from itinera.reference.screening import (
    default_screening_dir,
    load_screening,
    validate_screening_file,
)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for path in default_screening_dir().glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_packaged_files_are_valid() -> None:
    config = load_screening()
    assert config.rule_set.version == 1 and config.questionnaire.version == 1
    for path in sorted(default_screening_dir().glob("*.yaml")):
        assert validate_screening_file(path).endswith("valid")


def test_a_rule_on_an_unknown_question_names_file_rule_and_question(copy: Path) -> None:
    _edit(copy / "rules-v1.yaml", "question: fears_return,", "question: fears_returning,")
    with pytest.raises(ReferenceDataError) as caught:
        load_screening(copy)
    message = str(caught.value)
    assert "rules-v1.yaml" in message
    assert "rule protection-need" in message
    assert "unknown question 'fears_returning'" in message


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "rules-v1.yaml",
            "values: [alone, unrelated-adult]",
            "values: [alone, stranger]",
            "unknown choice 'stranger'",
        ),
        ("rules-v1.yaml", "flag: disability", "flag: disabled", "unknown vulnerability code"),
        (
            "rules-v1.yaml",
            "pathway: family-tracing",
            "pathway: tracing",
            "unknown pathway 'tracing'",
        ),
        (
            "rules-v1.yaml",
            'urgency: normal}]\n    source: "seed 003 §6',
            'urgency: someday}]\n    source: "seed 003 §6',
            "rules[5] (disability)",
        ),
        (
            "rules-v1.yaml",
            "lt: {question: age_years, value: 18}",
            "lt: {question: pregnant, value: 18}",
            "not a number",
        ),
        (
            "pathways-v1.yaml",
            "shared_fields: [given_name, sex, age_group, contact, flags]",
            "shared_fields: [given_name, password]",
            "unknown case field 'password'",
        ),
        ("questionnaire-v1.yaml", "kind: boolean", "kind: yesno", "questions[1] (age_documented)"),
    ],
)
def test_bad_edits_are_refused(copy: Path, file: str, old: str, new: str, expected: str) -> None:
    _edit(copy / file, old, new)
    with pytest.raises(ReferenceDataError, match=re.escape(expected)):
        load_screening(copy)


def test_the_highest_rules_version_is_loaded(copy: Path) -> None:
    text = (copy / "rules-v1.yaml").read_text("utf-8").replace("version: 1\n", "version: 2\n", 1)
    (copy / "rules-v2.yaml").write_text(text, "utf-8")
    assert load_screening(copy).rule_set.version == 2


def test_the_cli_validates_a_file_and_names_the_culprit(copy: Path) -> None:
    from typer.testing import CliRunner

    from itinera.bootstrap import build_cli

    app = build_cli()

    runner = CliRunner(mix_stderr=False)
    good = runner.invoke(app, ["screening", "validate", str(copy / "rules-v1.yaml")])
    assert good.exit_code == 0 and good.stdout.strip().endswith("valid")
    _edit(copy / "rules-v1.yaml", "question: fears_return,", "question: fears_returning,")
    bad = runner.invoke(app, ["screening", "validate", str(copy / "rules-v1.yaml")])
    assert bad.exit_code == 1
    assert "rule protection-need" in bad.stderr and "'fears_returning'" in bad.stderr
