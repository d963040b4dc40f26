"""Screening a case (C7): answers checked, rules applied, flags explained, pathways recommended.

The answers are stored encrypted with the versions of the questionnaire and rules used; the
flags of the latest screening are copied onto the case (in clear, for filtering and counts).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from itinera.domain.access import Action, Actor
from itinera.domain.case import Purpose, age_on, require_basis
from itinera.domain.case_record import CaseScreening
from itinera.domain.screening import Questionnaire, ScreeningResult, clean_answers, evaluate
from itinera.domain.screening_view import (
    ExplainedFlag,
    LocalisedChoice,
    LocalisedQuestion,
    LocalisedQuestionnaire,
    RecommendedPathway,
    ScreeningReport,
    TriggeringAnswer,
)
from itinera.domain.text import localise
from itinera.reference import screening as screening_files
from itinera.reference.screening import ScreeningConfig
from itinera.services.casework.context import (
    Casework,
    require_audited,
    require_kept,
    unseen,
)
from itinera.storage.casework.case_repository import CaseRepository

__all__ = [
    "describe_result",
    "localised_questionnaire",
    "screen_case",
    "validate_screening_file",
]

log = logging.getLogger(__name__)


def screen_case(
    cw: Casework,
    actor: Actor,
    case_id: str,
    answers: dict[str, Any],
    *,
    language: str = "en",
    origin: str | None = None,
) -> ScreeningReport:
    """Screen a case of the actor's organisation; nothing is stored when an answer is wrong."""
    require_audited(cw, actor, Action.SCREEN_CASE, "case", case_id, origin=origin)
    version_id, config = cw.active_screening()
    now = cw.now()
    with cw.db.transaction(write=True) as session:
        repo = CaseRepository(session, cw.cipher)
        case = repo.get(case_id, actor.organisation_id, decrypt=frozenset({"date_of_birth"}))
        if case is None:
            raise unseen(cw, session, actor, "case", case_id, "screen", origin=origin)
        require_kept(case)
        require_basis(case.consent, Purpose.SCREENING)
        cleaned = clean_answers(config.questionnaire, answers)
        if "age_years" not in cleaned and case.date_of_birth:
            # The registered date of birth answers the age question when it was not asked.
            cleaned["age_years"] = age_on(case.date_of_birth, now.date())
        result = evaluate(config.rule_set, cleaned)
        flags = [
            {"code": f.code, "rules": list(f.rules), "questions": [q for q, _ in f.triggered_by]}
            for f in result.flags
        ]
        recommendations = [
            {"pathway": r.pathway, "urgency": r.urgency.value, "because": list(r.because)}
            for r in result.recommendations
        ]
        screening_id = repo.add_screening(
            CaseScreening(
                id=0,
                case_id=case_id,
                questionnaire_version=result.questionnaire_version,
                rules_version=result.rules_version,
                flags=tuple(flags),
                recommendations=tuple(recommendations),
                screened_by=actor.username[:64],
                screened_at=now,
                answers=cleaned,
                screening_version_id=version_id,
            )
        )
        repo.set_flags(case_id, result.flag_codes, now)
        cw.audit(
            session,
            actor,
            action="case.screen",
            entity="case",
            entity_id=case_id,
            purpose=Purpose.SCREENING.value,
            origin=origin,
            detail={
                "flags": list(result.flag_codes),
                "rules_version": result.rules_version,
                "screening_version": version_id,
            },
        )
    log.info("case screened: %d flags", len(result.flags))
    report = describe_result(cw, result, cleaned, language, now.date(), config)
    return replace(
        report,
        id=screening_id,
        case_id=case_id,
        screened_at=now,
        screened_by=actor.username,
        screening_version_id=version_id,
    )


def describe_result(
    cw: Casework,
    result: ScreeningResult,
    answers: dict[str, Any],
    language: str,
    today: date,
    config: ScreeningConfig | None = None,
) -> ScreeningReport:
    """The result in one language: each flag with its explanation and triggering answers
    (``config``: the rules that produced it, else the active ones)."""
    config = config or cw.screening
    questionnaire = config.questionnaire
    pathways = config.rule_set.pathways

    def answer_text(question_id: str, answer: Any) -> str:
        question = questionnaire.question(question_id)
        if question is None:
            return str(answer)
        values = answer if isinstance(answer, list) else [answer]
        labels = [
            localise(question.choices[v], language)
            if v in question.choices
            else {True: "yes", False: "no"}.get(v, str(v))
            if isinstance(v, bool)
            else str(v)
            for v in values
        ]
        return ", ".join(labels)

    def triggering(question_id: str, answer: Any) -> TriggeringAnswer:
        question = questionnaire.question(question_id)
        text = localise(question.text, language) if question else question_id
        return TriggeringAnswer(question_id, answer, text, answer_text(question_id, answer))

    flags = tuple(
        ExplainedFlag(
            code=flag.code,
            rules=tuple(flag.rules),
            explanations=tuple(localise(e, language) for e in flag.explanations),
            triggered_by=tuple(triggering(q, a) for q, a in flag.triggered_by),
        )
        for flag in result.flags
    )
    recommendations = []
    for rec in result.recommendations:
        pathway = pathways[rec.pathway]
        days = pathway.follow_up_days[rec.urgency]
        recommendations.append(
            RecommendedPathway(
                pathway=rec.pathway,
                name=localise(pathway.name, language),
                urgency=rec.urgency.value,
                because=tuple(rec.because),
                service_type=pathway.service_type,
                shared_fields=tuple(pathway.shared_fields),
                due_date=today + timedelta(days=days),
            )
        )
    return ScreeningReport(
        result.questionnaire_version, result.rules_version, flags, tuple(recommendations)
    )


def localised_questionnaire(
    cw: Casework, language: str, questionnaire: Questionnaire | None = None
) -> LocalisedQuestionnaire:
    """The current questionnaire (or ``questionnaire``) in one language, for forms and API
    clients."""
    questionnaire = questionnaire or cw.screening.questionnaire
    return LocalisedQuestionnaire(
        questionnaire.version,
        tuple(
            LocalisedQuestion(
                id=q.id,
                kind=q.kind.value,
                text=localise(q.text, language),
                choices=tuple(
                    LocalisedChoice(c, localise(t, language)) for c, t in q.choices.items()
                ),
                minimum=q.minimum,
                maximum=q.maximum,
            )
            for q in questionnaire.questions
        ),
    )


def validate_screening_file(path: Path) -> str:
    """Check one questionnaire, rule set or pathways file (a rule set with the questionnaire
    and pathways it names): a one-line summary, or an error naming the file and the culprit."""
    return screening_files.validate_screening_file(path)
