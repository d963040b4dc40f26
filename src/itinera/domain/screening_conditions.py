"""Rule conditions of the screening rule set: a small, safe expression structure held in data.

A condition is a mapping with exactly one key, never code to evaluate:

- ``{"all": [c, ...]}``, ``{"any": [c, ...]}``, ``{"not": c}``,
  ``{"at_least": {"count": 2, "of": [c, ...]}}`` (for sets of indicators);
- ``{"equals": {"question": q, "value": v}}``, ``{"in": {"question": q, "values": [v, ...]}}``;
  for a multiple-choice question ``equals``/``in`` hold when the chosen set contains a value;
- ``{"lt"|"le"|"gt"|"ge": {"question": q, "value": n}}`` on number questions;
- ``{"answered": q}``.

Evaluating a condition answers whether it holds and, when it does, which answers made it hold
(the evidence shown to the caseworker next to each flag).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from itinera.domain.errors import Wording

__all__ = [
    "AllOf",
    "Answered",
    "Answers",
    "AnyOf",
    "AtLeast",
    "Comparison",
    "Condition",
    "ConditionSyntaxError",
    "Evidence",
    "NotOf",
    "parse_condition",
]

Answers = Mapping[str, Any]
"""Question id → answer (bool, str, number, or list of str for multiple choice)."""

Evidence = tuple[str, ...]
"""The question ids whose answers made a condition hold, in the order met."""

COMPARISONS = ("equals", "in", "lt", "le", "gt", "ge")


class ConditionSyntaxError(ValueError):
    """A condition in the data is malformed; ``path`` locates it (``when.all[1].lt``)."""

    def __init__(self, path: str, message: str | Wording) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Comparison:
    operator: str  # one of COMPARISONS
    question: str
    value: Any  # a scalar, or a tuple for "in"

    def questions(self) -> set[str]:
        return {self.question}

    def evaluate(self, answers: Answers) -> tuple[bool, Evidence]:
        answer = answers.get(self.question)
        if answer is None:
            return False, ()
        held = _compare(self.operator, answer, self.value)
        return held, (self.question,) if held else ()


@dataclass(frozen=True)
class Answered:
    question: str

    def questions(self) -> set[str]:
        return {self.question}

    def evaluate(self, answers: Answers) -> tuple[bool, Evidence]:
        answer = answers.get(self.question)
        held = answer is not None and answer != [] and answer != ""
        return held, (self.question,) if held else ()


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]

    def questions(self) -> set[str]:
        return set().union(*(p.questions() for p in self.parts))

    def evaluate(self, answers: Answers) -> tuple[bool, Evidence]:
        evidence: list[str] = []
        for part in self.parts:
            held, found = part.evaluate(answers)
            if not held:
                return False, ()
            evidence.extend(found)
        return True, _unique(evidence)


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]

    def questions(self) -> set[str]:
        return set().union(*(p.questions() for p in self.parts))

    def evaluate(self, answers: Answers) -> tuple[bool, Evidence]:
        results = [part.evaluate(answers) for part in self.parts]
        evidence = [q for held, found in results if held for q in found]
        return any(held for held, _ in results), _unique(evidence)


@dataclass(frozen=True)
class AtLeast:
    count: int
    parts: tuple[Condition, ...]

    def questions(self) -> set[str]:
        return set().union(*(p.questions() for p in self.parts))

    def evaluate(self, answers: Answers) -> tuple[bool, Evidence]:
        results = [part.evaluate(answers) for part in self.parts]
        held = [found for ok, found in results if ok]
        if len(held) < self.count:
            return False, ()
        return True, _unique([q for found in held for q in found])


@dataclass(frozen=True)
class NotOf:
    part: Condition

    def questions(self) -> set[str]:
        return self.part.questions()

    def evaluate(self, answers: Answers) -> tuple[bool, Evidence]:
        held, _ = self.part.evaluate(answers)
        if held:
            return False, ()
        # The answers given to the negated questions are what made it hold.
        return True, tuple(sorted(q for q in self.part.questions() if answers.get(q) is not None))


Condition = Comparison | Answered | AllOf | AnyOf | AtLeast | NotOf


def parse_condition(data: Any, path: str = "when") -> Condition:
    """Build a condition from its data form; raise :class:`ConditionSyntaxError` if malformed."""
    if not isinstance(data, Mapping) or len(data) != 1:
        raise ConditionSyntaxError(path, "a condition is a mapping with exactly one key")
    ((key, body),) = data.items()
    where = f"{path}.{key}"
    if key in ("all", "any"):
        parts = _parts(body, where)
        return AllOf(parts) if key == "all" else AnyOf(parts)
    if key == "not":
        return NotOf(parse_condition(body, where))
    if key == "at_least":
        if not isinstance(body, Mapping) or not isinstance(body.get("count"), int):
            raise ConditionSyntaxError(where, "needs an integer 'count' and a list 'of'")
        parts = _parts(body.get("of"), f"{where}.of")
        if not 1 <= body["count"] <= len(parts):
            raise ConditionSyntaxError(
                where, Wording.of("count must be between 1 and %(most)s", most=len(parts))
            )
        return AtLeast(body["count"], parts)
    if key == "answered":
        if not isinstance(body, str):
            raise ConditionSyntaxError(where, "needs a question id")
        return Answered(body)
    if key in COMPARISONS:
        return _comparison(key, body, where)
    raise ConditionSyntaxError(path, Wording.of("unknown condition '%(value)s'", value=key))


def _parts(body: Any, where: str) -> tuple[Condition, ...]:
    if not isinstance(body, Sequence) or isinstance(body, str) or not body:
        raise ConditionSyntaxError(where, "needs a non-empty list of conditions")
    return tuple(parse_condition(part, f"{where}[{i}]") for i, part in enumerate(body))


def _comparison(operator: str, body: Any, where: str) -> Comparison:
    if not isinstance(body, Mapping) or not isinstance(body.get("question"), str):
        raise ConditionSyntaxError(where, "needs a 'question'")
    if operator == "in":
        values = body.get("values")
        if not isinstance(values, Sequence) or isinstance(values, str) or not values:
            raise ConditionSyntaxError(where, "needs a non-empty list 'values'")
        return Comparison(operator, body["question"], tuple(values))
    if "value" not in body:
        raise ConditionSyntaxError(where, "needs a 'value'")
    value = body["value"]
    if operator != "equals" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConditionSyntaxError(
            where, Wording.of("'%(operator)s' compares with a number", operator=operator)
        )
    return Comparison(operator, body["question"], value)


def _compare(operator: str, answer: Any, value: Any) -> bool:
    if operator in ("equals", "in"):
        wanted = value if operator == "in" else (value,)
        chosen = answer if isinstance(answer, list | tuple) else (answer,)
        return any(_same(a, w) for a in chosen for w in wanted)
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return False
    compared: dict[str, bool] = {
        "lt": answer < value,
        "le": answer <= value,
        "gt": answer > value,
        "ge": answer >= value,
    }
    return compared[operator]


def _same(answer: Any, wanted: Any) -> bool:
    # True == 1 in Python; a yes/no answer must not match a number and vice versa.
    return (type(answer) is type(wanted) and answer == wanted) or (
        not isinstance(answer, bool)
        and not isinstance(wanted, bool)
        and isinstance(answer, int | float)
        and isinstance(wanted, int | float)
        and answer == wanted
    )


def _unique(items: list[str]) -> Evidence:
    return tuple(dict.fromkeys(items))
