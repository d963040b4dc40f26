"""Read and validate the screening questionnaire, rule set and referral pathways.

Files live in ``data/screening/`` (or a directory an administrator chooses): ``questionnaire-vN``,
``rules-vN`` and ``pathways-vN`` (``.yaml``). Each is checked against its JSON schema, then
cross-checked: a rule naming an unknown question, choice, flag or pathway is refused with a
:class:`ReferenceDataError` naming the file, the rule and the culprit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from itinera.domain.case import CASE_FIELDS
from itinera.domain.errors import ReferenceDataError, Wording
from itinera.domain.screening import (
    Pathway,
    Question,
    QuestionKind,
    Questionnaire,
    Rule,
    RuleSet,
    Urgency,
    check_rule_set,
)
from itinera.domain.screening_conditions import ConditionSyntaxError, parse_condition
from itinera.reference.schema_wording import schema_wording
from itinera.reference.yaml_lines import line_of_entry

__all__ = [
    "ScreeningConfig",
    "ScreeningTexts",
    "default_screening_dir",
    "load_screening",
    "load_screening_texts",
    "packaged_screening_texts",
    "screening_text_kind",
    "validate_screening_file",
]

_VERSIONED = re.compile(r"^rules-v(\d+)\.ya?ml$")
_QUESTIONNAIRE_SCHEMA = "screening-questionnaire.schema.json"
_RULES_SCHEMA = "screening-rules.schema.json"
_PATHWAYS_SCHEMA = "screening-pathways.schema.json"
_NOT_YAML = "not valid YAML: check the indentation, the colons and the quotes"
_OTHER_VERSION = {
    "questionnaire": "the rules name questionnaire version %(named)s "
    "but the questionnaire text is version %(version)s",
    "pathways": "the rules name pathways version %(named)s "
    "but the pathways text is version %(version)s",
}


@dataclass(frozen=True)
class ScreeningConfig:
    questionnaire: Questionnaire
    rule_set: RuleSet


def default_screening_dir() -> Path:
    return Path(str(resources.files("itinera.reference") / "data" / "screening"))


@cache
def _schema(name: str) -> dict[str, Any]:
    text = (resources.files("itinera.reference") / "schemas" / name).read_text("utf-8")
    return dict(json.loads(text))


@cache
def _vulnerability_codes() -> frozenset[str]:
    path = Path(str(resources.files("itinera.reference") / "data" / "vulnerabilities.yaml"))
    return frozenset(item["code"] for item in yaml.safe_load(path.read_text("utf-8"))["items"])


def load_screening(
    directory: Path | None = None, rules_version: int | None = None
) -> ScreeningConfig:
    """Load the rule set (the highest version unless asked) with its questionnaire and pathways."""
    directory = directory or default_screening_dir()
    if rules_version is None:
        versions = [
            int(m.group(1))
            for p in directory.glob("rules-v*.y*ml")
            if (m := _VERSIONED.match(p.name))
        ]
        if not versions:
            raise ReferenceDataError(str(directory), "", "", "no rules-vN.yaml file found")
        rules_version = max(versions)
    return _load_rules(directory / f"rules-v{rules_version}.yaml")


def validate_screening_file(path: Path) -> str:
    """Validate one questionnaire, rules or pathways file; return a one-line summary."""
    document = _read(path, None)
    if "rules" in document:
        config = _load_rules(path)
        return (
            f"{path.name}: {len(config.rule_set.rules)} rules, "
            f"{len(config.rule_set.pathways)} pathways, "
            f"{len(config.questionnaire.questions)} questions: valid"
        )
    if "questions" in document:
        questionnaire = _questionnaire(path)
        return f"{path.name}: {len(questionnaire.questions)} questions: valid"
    if "pathways" in document:
        return f"{path.name}: {len(_pathways(path))} pathways: valid"
    raise ReferenceDataError(path.name, "", "", "neither a questionnaire, a rule set nor pathways")


def _sibling(path: Path, stem: str, version: int) -> Path:
    """The companion file next to ``path``, else the packaged one."""
    for directory in (path.parent, default_screening_dir()):
        candidate = directory / f"{stem}-v{version}.yaml"
        if candidate.exists():
            return candidate
    message = Wording.of("no %(file)s found", file=f"{stem}-v{version}.yaml")
    raise ReferenceDataError(path.name, "", f"{stem}_version", message)


def _load_rules(path: Path) -> ScreeningConfig:
    document = _read(path, "screening-rules.schema.json")
    questionnaire = _questionnaire(
        _sibling(path, "questionnaire", document["questionnaire_version"])
    )
    pathways = _pathways(_sibling(path, "pathways", document["pathways_version"]))
    return _rules(path.name, document, questionnaire, pathways)


def _rules(
    name: str, document: dict[str, Any], questionnaire: Questionnaire, pathways: dict[str, Pathway]
) -> ScreeningConfig:
    path = Path(name)
    rules = []
    for index, data in enumerate(document["rules"]):
        entry = f"rules[{index}] ({data['id']})"
        try:
            when = parse_condition(data["when"])
        except ConditionSyntaxError as exc:
            raise ReferenceDataError(path.name, entry, exc.path, exc.message) from exc
        referrals = tuple((r["pathway"], Urgency(r["urgency"])) for r in data.get("referrals", []))
        rules.append(
            Rule(
                data["id"],
                data["flag"],
                when,
                data["explanation"],
                referrals,
                data.get("source", ""),
            )
        )
    ids = [r.id for r in rules]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise ReferenceDataError(path.name, f"rule {duplicate}", "id", "the id is used twice")
    rule_set = RuleSet(
        document["version"],
        document["questionnaire_version"],
        tuple(rules),
        pathways,
        document.get("default_pathway"),
    )
    problems = check_rule_set(
        rule_set, questionnaire, set(_vulnerability_codes()), set(CASE_FIELDS)
    )
    if problems:
        entry, field, message = problems[0]
        raise ReferenceDataError(path.name, entry, field, message)
    return ScreeningConfig(questionnaire, rule_set)


def _questionnaire(path: Path) -> Questionnaire:
    return _questions(path.name, _read(path, "screening-questionnaire.schema.json"))


def _questions(name: str, document: dict[str, Any]) -> Questionnaire:
    path = Path(name)
    questions = []
    for index, data in enumerate(document["questions"]):
        kind = QuestionKind(data["kind"])
        has_choices = kind in (QuestionKind.CHOICE, QuestionKind.CHOICES)
        if has_choices != bool(data.get("choices")):
            message = (
                Wording("needs choices")
                if has_choices
                else Wording.of("a %(kind)s question has no choices", kind=kind.value)
            )
            raise ReferenceDataError(
                path.name, f"questions[{index}] ({data['id']})", "choices", message
            )
        questions.append(
            Question(
                data["id"],
                kind,
                data["text"],
                data.get("choices", {}),
                data.get("minimum"),
                data.get("maximum"),
            )
        )
    ids = [q.id for q in questions]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise ReferenceDataError(path.name, f"question {duplicate}", "id", "the id is used twice")
    return Questionnaire(document["version"], tuple(questions))


def _pathways(path: Path) -> dict[str, Pathway]:
    return _pathway_map(_read(path, "screening-pathways.schema.json"))


def _pathway_map(document: dict[str, Any]) -> dict[str, Pathway]:
    return {
        data["code"]: Pathway(
            data["code"],
            data["name"],
            data["service_type"],
            tuple(data["shared_fields"]),
            {Urgency(k): v for k, v in data["follow_up_days"].items()},
            data.get("description", {}),
            data.get("source", ""),
            tuple(data.get("shared_flags", ())),
            tuple(data.get("flags_with_agreement", ())),
        )
        for data in document["pathways"]
    }


def _read(path: Path, schema: str | None) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = Wording.of("cannot read the file", note=exc.strerror or "")
        raise ReferenceDataError(path.name, "", "", message) from exc
    return _parse(path, raw, schema)


def _parse(path: Path, raw: bytes | str, schema: str | None) -> dict[str, Any]:
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        message = Wording.of(_NOT_YAML, note=str(exc))
        raise ReferenceDataError(path.name, where, "", message) from exc
    if not isinstance(document, dict):
        raise ReferenceDataError(path.name, "", "", "the file must hold a mapping at the top")
    if schema is not None:
        validator = jsonschema.Draft202012Validator(_schema(schema))
        error = jsonschema.exceptions.best_match(validator.iter_errors(document))
        if error is not None:
            location = list(error.absolute_path)
            entry = ""
            if len(location) >= 2 and isinstance(location[1], int):
                item = document[str(location[0])][location[1]]
                name = item.get("id") or item.get("code") if isinstance(item, dict) else None
                entry = f"{location[0]}[{location[1]}]" + (f" ({name})" if name else "")
                location = location[2:]
            field = ".".join(str(p) for p in location)
            raise ReferenceDataError(path.name, entry, field, schema_wording(error))
    return document


QUESTIONNAIRE_TEXT = "questionnaire.yaml"
RULES_TEXT = "rules.yaml"
PATHWAYS_TEXT = "pathways.yaml"


@dataclass(frozen=True)
class ScreeningTexts:
    """The questionnaire, rule set and pathways of one version, as YAML text."""

    questionnaire: str
    rules: str
    pathways: str


def packaged_screening_texts() -> ScreeningTexts:
    """The packaged files (the highest rule set and the versions it names): version 1."""
    directory = default_screening_dir()
    rules = max(directory.glob("rules-v*.yaml"), key=lambda p: int(p.stem.split("-v")[-1]))
    document = _read(rules, None)
    return ScreeningTexts(
        (directory / f"questionnaire-v{document['questionnaire_version']}.yaml").read_text("utf-8"),
        rules.read_text("utf-8"),
        (directory / f"pathways-v{document['pathways_version']}.yaml").read_text("utf-8"),
    )


def screening_text_kind(name: str, text: str) -> str:
    """Which of the three texts a YAML file holds: "questionnaire", "rules" or "pathways"
    (by its top-level key, as ``validate_screening_file`` tells them apart)."""
    document = _parse(Path(name), text, None)
    for key, kind in (("rules", "rules"), ("questions", "questionnaire"), ("pathways", "pathways")):
        if key in document:
            return kind
    raise ReferenceDataError(name, "", "", "neither a questionnaire, a rule set nor pathways")


@lru_cache(maxsize=16)
def load_screening_texts(texts: ScreeningTexts) -> ScreeningConfig:
    """Check three texts as ``itinera screening validate`` checks files (same schemas, same
    cross-checks); an error names the text (``rules.yaml``), the line, the entry and the field."""
    try:
        questionnaire = _questions(
            QUESTIONNAIRE_TEXT,
            _parse(Path(QUESTIONNAIRE_TEXT), texts.questionnaire, _QUESTIONNAIRE_SCHEMA),
        )
        pathways_document = _parse(Path(PATHWAYS_TEXT), texts.pathways, _PATHWAYS_SCHEMA)
        rules_document = _parse(Path(RULES_TEXT), texts.rules, _RULES_SCHEMA)
        for stem, version in (
            ("questionnaire", questionnaire.version),
            ("pathways", pathways_document["version"]),
        ):
            named = rules_document[f"{stem}_version"]
            if named != version:
                message = Wording.of(_OTHER_VERSION[stem], named=named, version=version)
                raise ReferenceDataError(RULES_TEXT, "", f"{stem}_version", message)
        return _rules(RULES_TEXT, rules_document, questionnaire, _pathway_map(pathways_document))
    except ReferenceDataError as exc:
        raise _located(exc, texts) from exc


def _located(exc: ReferenceDataError, texts: ScreeningTexts) -> ReferenceDataError:
    """The error with the line of its entry in the text, when the entry can be found."""
    text = {QUESTIONNAIRE_TEXT: texts.questionnaire, PATHWAYS_TEXT: texts.pathways}.get(
        exc.file, texts.rules
    )
    line = None if exc.entry.startswith("line ") else line_of_entry(text, exc.entry, exc.field)
    if line is None:
        return exc
    entry = f"line {line}" + (f", {exc.entry}" if exc.entry else "")
    return ReferenceDataError(exc.file, entry, exc.field, exc.wording)
