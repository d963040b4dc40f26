"""A stored screening shown again (C7): the case page shows the latest screening with its
explained flags and recommended referrals, so that reloading or coming back to a case never
asks the questions again (post/redirect/get) and recommendations stay with the case."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from itinera.domain.case_record import CaseFile, CaseScreening
from itinera.domain.screening import Urgency, evaluate
from itinera.domain.screening_view import ExplainedFlag, RecommendedPathway, ScreeningReport
from itinera.domain.text import localise
from itinera.services.casework.context import Casework
from itinera.services.casework.screening import describe_result

__all__ = ["latest_screening"]


def latest_screening(cw: Casework, file: CaseFile, language: str) -> ScreeningReport | None:
    """The case's latest screening in ``language`` (None when never screened)."""
    if not file.screenings:
        return None
    stored = file.screenings[-1]
    if stored.screening_version_id is not None:
        config = cw.screening_version(stored.screening_version_id)
    else:
        config = cw.screening
    if stored.answers is not None and stored.rules_version == config.rule_set.version:
        # the same rules on the same answers give the same flags, now with their explanations
        result = evaluate(config.rule_set, dict(stored.answers))
        report = describe_result(
            cw, result, dict(stored.answers), language, stored.screened_at.date(), config
        )
    else:
        report = _as_stored(cw, stored, language)
    return replace(
        report,
        id=stored.id,
        case_id=stored.case_id,
        screened_at=stored.screened_at,
        screened_by=stored.screened_by,
        screening_version_id=stored.screening_version_id,
    )


def _as_stored(cw: Casework, stored: CaseScreening, language: str) -> ScreeningReport:
    """Screened under rules since replaced (or answers erased): the flags and pathways kept."""
    pathways = cw.screening.rule_set.pathways
    recommendations = []
    for rec in stored.recommendations:
        pathway = pathways.get(str(rec["pathway"]))
        if pathway is None:
            continue
        urgency = Urgency(rec["urgency"])
        recommendations.append(
            RecommendedPathway(
                pathway=pathway.code,
                name=localise(pathway.name, language),
                urgency=urgency.value,
                because=tuple(rec.get("because", ())),
                service_type=pathway.service_type,
                shared_fields=tuple(pathway.shared_fields),
                due_date=stored.screened_at.date()
                + timedelta(days=pathway.follow_up_days[urgency]),
            )
        )
    flags = tuple(
        ExplainedFlag(str(f["code"]), tuple(f.get("rules", ())), (), ()) for f in stored.flags
    )
    return ScreeningReport(
        stored.questionnaire_version, stored.rules_version, flags, tuple(recommendations)
    )
