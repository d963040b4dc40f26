"""Vulnerability screening (C7): a versioned questionnaire, a rule set, and the evaluator.

Answers go in; vulnerability flags (codes of ``vulnerabilities.yaml``) and recommended referral
pathways with an urgency come out. Every flag carries the rules that raised it, the answers that
triggered them and the rules' explanations in English, French and Arabic, so a caseworker can see
*why* a flag fired and a supervisor can check the rule against its source.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from itinera.domain.errors import FieldError, ValidationError, Wording
from itinera.domain.screening_conditions import Answers, Comparison, Condition
from itinera.domain.text import LocalisedText

__all__ = [
    "Flag",
    "Pathway",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "Recommendation",
    "Rule",
    "RuleSet",
    "ScreeningResult",
    "Urgency",
    "check_rule_set",
    "clean_answers",
    "evaluate",
]


class QuestionKind(StrEnum):
    BOOLEAN = "boolean"
    CHOICE = "choice"  # one code among the choices
    CHOICES = "choices"  # several codes among the choices
    NUMBER = "number"


class Urgency(StrEnum):
    IMMEDIATE = "immediate"
    HIGH = "high"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        return {"immediate": 0, "high": 1, "normal": 2}[self.value]


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: LocalisedText
    choices: Mapping[str, LocalisedText] = field(default_factory=dict)  # code → label
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Questionnaire:
    version: int
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Pathway:
    """Where a need is referred, and the case fields the receiver needs to know."""

    code: str
    name: LocalisedText
    service_type: str
    shared_fields: tuple[str, ...]
    follow_up_days: Mapping[Urgency, int]
    description: LocalisedText = field(default_factory=dict)
    source: str = ""
    shared_flags: tuple[str, ...] = ()  # the flags this pathway needs; no other is shared
    flags_with_agreement: tuple[str, ...] = ()  # shared only with the person's explicit agreement

    def flags_to_share(self, flags: Iterable[str], agreed: Collection[str]) -> tuple[str, ...]:
        """Of a case's ``flags``, those a referral on this pathway passes on: the ones it
        needs, and the sensitive ones the person explicitly agreed to share (``agreed``)."""
        if "flags" not in self.shared_fields:
            return ()
        return tuple(
            f
            for f in flags
            if f in self.shared_flags or (f in self.flags_with_agreement and f in agreed)
        )


@dataclass(frozen=True)
class Rule:
    id: str
    flag: str  # a vulnerability code
    when: Condition
    explanation: LocalisedText
    referrals: tuple[tuple[str, Urgency], ...] = ()  # (pathway code, urgency)
    source: str = ""


@dataclass(frozen=True)
class RuleSet:
    version: int
    questionnaire_version: int
    rules: tuple[Rule, ...]
    pathways: Mapping[str, Pathway]
    default_pathway: str | None = None  # recommended when no rule recommends anything


@dataclass(frozen=True)
class Flag:
    code: str
    rules: tuple[str, ...]
    triggered_by: tuple[tuple[str, Any], ...]  # (question id, answer)
    explanations: tuple[LocalisedText, ...]


@dataclass(frozen=True)
class Recommendation:
    pathway: str
    urgency: Urgency
    because: tuple[str, ...]  # flag codes; empty for the default pathway


@dataclass(frozen=True)
class ScreeningResult:
    questionnaire_version: int
    rules_version: int
    flags: tuple[Flag, ...]
    recommendations: tuple[Recommendation, ...]

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.flags)


def clean_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Check answers against the questionnaire; every problem is named as ``answers.<id>``."""
    errors: list[FieldError] = []
    cleaned: dict[str, Any] = {}
    for key, answer in answers.items():
        where = f"answers.{key}"
        question = questionnaire.question(key)
        if question is None:
            errors.append(FieldError(where, "unknown question"))
            continue
        if answer is None:
            continue
        problem = _answer_problem(question, answer)
        if problem:
            errors.append(FieldError(where, problem))
        else:
            cleaned[key] = sorted(set(answer)) if question.kind is QuestionKind.CHOICES else answer
    if errors:
        raise ValidationError(errors)
    return cleaned


def _answer_problem(question: Question, answer: Any) -> str | None:
    if question.kind is QuestionKind.BOOLEAN:
        return None if isinstance(answer, bool) else "must be true or false"
    if question.kind is QuestionKind.NUMBER:
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return "must be a number"
        if question.minimum is not None and answer < question.minimum:
            return f"must be at least {question.minimum:g}"
        if question.maximum is not None and answer > question.maximum:
            return f"must be at most {question.maximum:g}"
        return None
    values = answer if question.kind is QuestionKind.CHOICES else [answer]
    if question.kind is QuestionKind.CHOICES and not isinstance(answer, list):
        return "must be a list of choice codes"
    unknown = [v for v in values if not isinstance(v, str) or v not in question.choices]
    if unknown:
        return f"unknown choice {unknown[0]!r}; expected one of {', '.join(question.choices)}"
    return None


def evaluate(rule_set: RuleSet, answers: Answers) -> ScreeningResult:
    """Apply every rule to checked answers (see :func:`clean_answers`)."""
    flags: dict[str, dict[str, Any]] = {}
    wanted: dict[str, tuple[Urgency, list[str]]] = {}
    for rule in rule_set.rules:
        held, evidence = rule.when.evaluate(answers)
        if not held:
            continue
        entry = flags.setdefault(rule.flag, {"rules": [], "evidence": [], "explanations": []})
        entry["rules"].append(rule.id)
        entry["evidence"].extend(q for q in evidence if q not in entry["evidence"])
        entry["explanations"].append(rule.explanation)
        for pathway, urgency in rule.referrals:
            current, because = wanted.get(pathway, (urgency, []))
            best = urgency if urgency.rank < current.rank else current
            wanted[pathway] = (best, because if rule.flag in because else [*because, rule.flag])
    if not wanted and rule_set.default_pathway:
        wanted[rule_set.default_pathway] = (Urgency.NORMAL, [])
    result_flags = tuple(
        Flag(
            code,
            tuple(entry["rules"]),
            tuple((q, answers[q]) for q in entry["evidence"]),
            tuple(entry["explanations"]),
        )
        for code, entry in flags.items()
    )
    recommendations = sorted(
        (Recommendation(p, u, tuple(b)) for p, (u, b) in wanted.items()),
        key=lambda r: (r.urgency.rank, r.pathway),
    )
    return ScreeningResult(
        rule_set.questionnaire_version, rule_set.version, result_flags, tuple(recommendations)
    )


_UNKNOWN_FLAG = "unknown flag '%(value)s'"
_UNKNOWN_PATHWAY = "unknown pathway '%(value)s'"


def check_rule_set(
    rule_set: RuleSet,
    questionnaire: Questionnaire,
    vulnerability_codes: set[str],
    shareable_fields: set[str],
) -> list[tuple[str, str, Wording]]:
    """Cross-check a rule set; return ``(entry, field, message)`` for every problem found."""
    problems: list[tuple[str, str, Wording]] = []
    if rule_set.questionnaire_version != questionnaire.version:
        problems.append(
            (
                "",
                "questionnaire_version",
                Wording.of(
                    "the questionnaire is version %(version)s, not %(named)s",
                    version=questionnaire.version,
                    named=rule_set.questionnaire_version,
                ),
            )
        )
    for code, pathway in rule_set.pathways.items():
        for flag in (*pathway.shared_flags, *pathway.flags_with_agreement):
            if flag not in vulnerability_codes:
                problems.append(
                    (f"pathway {code}", "shared_flags", Wording.of(_UNKNOWN_FLAG, value=flag))
                )
        for name in pathway.shared_fields:
            if name not in shareable_fields:
                problems.append(
                    (
                        f"pathway {code}",
                        "shared_fields",
                        Wording.of("unknown case field '%(value)s'", value=name),
                    )
                )
    if rule_set.default_pathway and rule_set.default_pathway not in rule_set.pathways:
        problems.append(
            ("", "default_pathway", Wording.of(_UNKNOWN_PATHWAY, value=rule_set.default_pathway))
        )
    for rule in rule_set.rules:
        entry = f"rule {rule.id}"
        if rule.flag not in vulnerability_codes:
            unknown = Wording.of("unknown vulnerability code '%(value)s'", value=rule.flag)
            problems.append((entry, "flag", unknown))
        for code, _ in rule.referrals:
            if code not in rule_set.pathways:
                problems.append((entry, "referrals", Wording.of(_UNKNOWN_PATHWAY, value=code)))
        problems.extend((entry, "when", m) for m in _condition_problems(rule.when, questionnaire))
    return problems


def _condition_problems(condition: Condition, questionnaire: Questionnaire) -> list[Wording]:
    problems: list[Wording] = []
    for question_id in sorted(condition.questions()):
        if questionnaire.question(question_id) is None:
            problems.append(Wording.of("unknown question '%(question)s'", question=question_id))
    for comparison in _comparisons(condition):
        question = questionnaire.question(comparison.question)
        if question is None:
            continue
        values = comparison.value if comparison.operator == "in" else (comparison.value,)
        if comparison.operator in ("lt", "le", "gt", "ge"):
            if question.kind is not QuestionKind.NUMBER:
                problems.append(
                    Wording.of(
                        "'%(operator)s' on question '%(question)s', which is not a number",
                        operator=comparison.operator,
                        question=question.id,
                    )
                )
        elif question.kind in (QuestionKind.CHOICE, QuestionKind.CHOICES):
            problems.extend(
                Wording.of(
                    "unknown choice '%(value)s' for question '%(question)s'",
                    value=v,
                    question=question.id,
                )
                for v in values
                if v not in question.choices
            )
        elif _answer_problem(question, values[0]) is not None:
            problems.append(
                Wording.of(
                    "value '%(value)s' cannot answer question '%(question)s'",
                    value=values[0],
                    question=question.id,
                )
            )
    return problems


def _comparisons(condition: Condition) -> list[Comparison]:
    if isinstance(condition, Comparison):
        return [condition]
    parts = getattr(condition, "parts", None)
    if parts is not None:
        return [c for part in parts for c in _comparisons(part)]
    inner = getattr(condition, "part", None)
    return _comparisons(inner) if inner is not None else []
