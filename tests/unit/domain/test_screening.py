"""The screening evaluator: flags, evidence, pathways, and robustness on any valid answers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itinera.domain.errors import ValidationError
from itinera.domain.screening import QuestionKind, Questionnaire, Urgency, clean_answers, evaluate
from itinera.domain.screening_conditions import ConditionSyntaxError, parse_condition
from itinera.reference.screening import ScreeningConfig, load_screening

CONFIG: ScreeningConfig = load_screening()


def _screen(**answers: Any) -> Any:
    return evaluate(CONFIG.rule_set, clean_answers(CONFIG.questionnaire, answers))


def test_a_child_travelling_alone_is_flagged_and_the_flag_explains_itself() -> None:
    result = _screen(age_years=15, travelling_with="alone", age_documented=True)
    (flag,) = result.flags
    assert flag.code == "unaccompanied-separated-child"
    assert flag.rules == ("unaccompanied-child",)
    assert dict(flag.triggered_by) == {"age_years": 15, "travelling_with": "alone"}
    assert "unaccompanied child" in flag.explanations[0]["en"]
    assert flag.explanations[0]["ar"] and flag.explanations[0]["fr"]
    assert [(r.pathway, r.urgency) for r in result.recommendations] == [
        ("child-protection", Urgency.IMMEDIATE)
    ]


def test_an_adult_with_a_parent_raises_no_child_flag() -> None:
    result = _screen(age_years=18, travelling_with="alone")
    assert "unaccompanied-separated-child" not in result.flag_codes


def test_with_no_need_found_the_default_pathway_is_the_competent_authority() -> None:
    result = _screen(age_years=30, travelling_with="alone", fears_return=False)
    assert result.flags == ()
    assert [r.pathway for r in result.recommendations] == ["competent-authority"]


def test_one_trafficking_indicator_is_not_enough_two_are() -> None:
    assert "trafficking-victim" not in _screen(forced_to_work=True).flag_codes
    result = _screen(forced_to_work=True, owes_debt_for_journey=True, deceived_about_job=False)
    (flag,) = result.flags
    assert flag.code == "trafficking-victim"
    assert {q for q, _ in flag.triggered_by} == {"forced_to_work", "owes_debt_for_journey"}


def test_a_pathway_keeps_the_most_urgent_recommendation() -> None:
    result = _screen(injured_or_ill=True, pregnant=True)
    (flag,) = result.flags
    assert flag.rules == ("urgent-medical-need", "ongoing-medical-need")
    assert [(r.pathway, r.urgency) for r in result.recommendations] == [
        ("medical-care", Urgency.IMMEDIATE)
    ]


def test_multiple_choice_answers_match_any_chosen_value() -> None:
    result = _screen(violence_experienced=["none", "torture"])
    assert result.flag_codes == ("torture-survivor",)


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"age_years": "fifteen"}, "answers.age_years", "must be a number"),
        ({"age_years": 200}, "answers.age_years", "at most 120"),
        ({"travelling_with": "cousin"}, "answers.travelling_with", "unknown choice 'cousin'"),
        ({"pregnant": 1}, "answers.pregnant", "true or false"),
        ({"violence_experienced": "torture"}, "answers.violence_experienced", "list"),
        ({"favourite_colour": "blue"}, "answers.favourite_colour", "unknown question"),
    ],
)
def test_bad_answers_are_named(answers: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_answers(CONFIG.questionnaire, answers)
    (error,) = caught.value.errors
    assert error.field == field and message in error.message


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"all": []}, "when.all"),
        ({"lt": {"question": "age_years", "value": "x"}}, "when.lt"),
        ({"any": [{"eval": "os.system('x')"}]}, "when.any[0]"),
        ({"at_least": {"count": 3, "of": [{"answered": "a"}]}}, "when.at_least"),
        ({"all": [{"answered": "a"}], "any": [{"answered": "b"}]}, "when"),
    ],
)
def test_malformed_conditions_are_refused_with_their_path(data: Any, path: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(data)
    assert caught.value.path == path


def _answer_strategy(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    options: dict[str, st.SearchStrategy[Any]] = {}
    for question in questionnaire.questions:
        codes = sorted(question.choices)
        options[question.id] = {
            QuestionKind.BOOLEAN: st.booleans(),
            QuestionKind.NUMBER: st.integers(0, 120) | st.floats(0, 120, allow_nan=False),
            QuestionKind.CHOICE: st.sampled_from(codes or ["x"]),
            QuestionKind.CHOICES: st.lists(st.sampled_from(codes or ["x"]), max_size=len(codes)),
        }[question.kind]
    return st.fixed_dictionaries({}, optional=options)


@settings(max_examples=300, deadline=None)
@given(_answer_strategy(CONFIG.questionnaire))
def test_the_evaluator_never_crashes_and_every_flag_has_evidence(answers: dict[str, Any]) -> None:
    result = evaluate(CONFIG.rule_set, clean_answers(CONFIG.questionnaire, answers))
    assert result.recommendations, "someone is always recommended (the default pathway at least)"
    for flag in result.flags:
        assert flag.rules and flag.explanations
        assert all(question in answers for question, _ in flag.triggered_by)
    pathways = [r.pathway for r in result.recommendations]
    assert len(pathways) == len(set(pathways))
    assert set(pathways) <= set(CONFIG.rule_set.pathways)
