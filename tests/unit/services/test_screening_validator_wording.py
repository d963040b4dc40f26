"""The screening validator's details in the reader's language (issue 12): every error a draft
can get (YAML, schema, condition syntax, cross-checks) is a catalogue message with its
values; in French and Arabic no English detail remains, on the page's words and the entry
and field it names. The command line keeps English (every ``itinera`` command speaks it)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from itinera.domain.errors import ReferenceDataError, ValidationError
from itinera.reference import screening as screening_files
from itinera.reference.schema_wording import TYPE_WORDS
from itinera.reference.screening import packaged_screening_texts
from itinera.services.casework.screening_rules import ScreeningTexts, check_draft
from itinera.web import reference_messages
from itinera.web.i18n import translations

RULES = packaged_screening_texts().rules
BROKEN_RULES = {
    "unknown question": RULES.replace(
        "question: travelling_with, values", "question: travelling_wit, values", 1
    ),
    "unknown flag": RULES.replace("flag: unaccompanied-separated-child", "flag: no-such-flag", 1),
    "unknown pathway": RULES.replace(
        "pathway: child-protection, urgency: immediate", "pathway: nowhere, urgency: immediate", 1
    ),
    "unknown choice": RULES.replace(
        "values: [alone, unrelated-adult]", "values: [alone, martian]", 1
    ),
    "not a number": RULES.replace(
        "lt: {question: age_years, value: 18}", "lt: {question: age_years, value: many}", 1
    ),
    "unknown condition": RULES.replace(
        "- lt: {question: age_years, value: 18}", "- about: {question: age_years, value: 18}", 1
    ),
    "YAML": RULES.replace("rules:\n", "rules: [\n", 1),
    "enum": RULES.replace("urgency: immediate", "urgency: whenever", 1),
    "type": RULES.replace("version: 1\n", "version: one\n", 1),
    "required": RULES.replace("    flag: unaccompanied-separated-child\n", "", 1),
    "not expected": RULES.replace(
        "    flag: unaccompanied-separated-child\n",
        "    flag: unaccompanied-separated-child\n    colour: red\n",
        1,
    ),
    "other version": RULES.replace("questionnaire_version: 1", "questionnaire_version: 7", 1),
    "id twice": RULES.replace("id: separated-child", "id: unaccompanied-child", 1),
}
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _error(rules: str) -> ReferenceDataError:
    texts: ScreeningTexts = replace(packaged_screening_texts(), rules=rules)
    with pytest.raises(ValidationError) as caught:
        check_draft(texts)
    source = caught.value.errors[0].source
    assert source is not None, "the error lost its reference data error"
    return source


@pytest.mark.parametrize("case", sorted(BROKEN_RULES))
def test_no_english_detail_remains_in_french_or_arabic(case: str) -> None:
    error = _error(BROKEN_RULES[case])
    english = reference_messages.worded_detail(error, "en", lambda text: text)
    values = " ".join(v for _, v in error.wording.params) + f" {error.entry} {error.field}"
    codes = set(_LATIN_WORD.findall(values)) | {"YAML"}
    for language in ("fr", "ar"):
        gettext = translations(language).gettext
        assert gettext(error.wording.template) != error.wording.template, (case, language)
        detail = reference_messages.worded_detail(error, language, gettext)
        assert detail != english
        if language == "ar":  # whatever Latin letters remain are the file's own codes
            assert set(_LATIN_WORD.findall(detail)) <= codes, (case, detail)
    assert error.detail.startswith(str(error.wording).split(" (")[0][:20])  # the CLI: English


def test_every_worded_message_of_the_validator_is_in_both_catalogues() -> None:
    templates = set(TYPE_WORDS.values()) | set(screening_files._OTHER_VERSION.values())
    templates |= set(reference_messages._ENTRY.values())
    templates |= {"entry %(path)s", "field “%(field)s”", "line %(line)s"}
    for language in ("fr", "ar"):
        gettext = translations(language).gettext
        assert [t for t in sorted(templates) if gettext(t) == t] == [], language
