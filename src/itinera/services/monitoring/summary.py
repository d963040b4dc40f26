"""Risk observations counted by type, leg, perpetrator or month (C11), suppressed for the
public with the platform's rule (primary and secondary suppression of the persons counts; at
least 10 where any entry of the table is survey-based)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from itinera.domain.access import Action, Actor, can
from itinera.domain.analytics.suppression import DEFAULT_THRESHOLD, suppress_vector
from itinera.domain.monitoring import RiskObservation
from itinera.services.monitoring.entries import (
    SURVEY_THRESHOLD,
    list_observations,
    vocabularies,
)
from itinera.storage.database import Database

__all__ = ["DIMENSIONS", "count_observations", "route_risk_summary", "survey_shares"]

DIMENSIONS = ("route_id", "incident_type", "leg", "perpetrator", "month")


def _key(observation: RiskObservation, by: str) -> str:
    if by == "month":
        return observation.date_from.strftime("%Y-%m")
    if by == "leg":
        return "" if observation.leg is None else str(observation.leg)
    return str(getattr(observation, by))


def count_observations(
    observations: Sequence[RiskObservation],
    by: str,
    *,
    exact: bool,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """Rows ``{category, observations, persons}`` largest first, and the total persons."""
    if by not in DIMENSIONS:
        raise ValueError(f"cannot count by {by!r}")
    entries: dict[str, int] = defaultdict(int)
    persons: dict[str, int] = defaultdict(int)
    for o in observations:
        key = _key(o, by)
        entries[key] += 1
        persons[key] += o.persons or 0
    categories = sorted(entries, key=lambda c: (-entries[c], c))
    if any(o.source_type == "survey" for o in observations):
        threshold = max(threshold, SURVEY_THRESHOLD)
    values = [persons[c] for c in categories]
    shown: list[int | None] = list(values)
    total: int | None = sum(values)
    if not exact and categories:
        table = suppress_vector(values, threshold)
        shown, total = table.cells[0], table.total
    return {
        "by": by,
        "exact": exact,
        "threshold": None if exact else threshold,
        "rows": [
            {"category": c, "observations": entries[c], "persons": shown[i]}
            for i, c in enumerate(categories)
        ],
        "persons_total": total,
    }


def route_risk_summary(
    db: Database,
    actor: Actor,
    route_id: str,
    first: str | None,
    last: str | None,
    threshold: int,
    language: str = "en",
) -> dict[str, Any]:
    """Risk observations of a route in a period (YYYY-MM), counted by type, as the reader may
    see them: shown beside the dead and missing on the route page."""

    def day(code: str | None, end: bool) -> date | None:
        if not code:
            return None
        year, month = int(code[:4]), int(code[5:7])
        if not end:
            return date(year, month, 1)
        after = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(after.toordinal() - 1)

    start, end = day(first, False), day(last, True)
    found = list_observations(db, actor, route_id, start, end)
    exact = can(actor, Action.VIEW_INTERNAL_MONITORING)
    counted = count_observations(found, "incident_type", exact=exact, threshold=threshold)
    vocab = vocabularies()
    return {
        "total": len(found),
        "from": start.isoformat() if start else None,  # for the map's points of the same period
        "to": end.isoformat() if end else None,
        "rows": counted["rows"],
        "names": {
            code: vocab.label("incident_types", code, language)
            for code in vocab.codes("incident_types")
        },
    }


def survey_shares(
    observations: Sequence[RiskObservation], *, exact: bool, top: int = 5
) -> dict[str, Any] | None:
    """Survey-based entries as shares of respondents, with their *n*: incident types, the most
    dangerous locations named, smuggler use and the cost paid. For the public, nothing below 10
    respondents, and no category (or cost) resting on fewer than 10 answers."""
    answers = [o for o in observations if o.source_type == "survey"]
    n = len(answers)
    if n == 0 or (not exact and n < SURVEY_THRESHOLD):
        return None

    def hidden(count: int) -> bool:
        return not exact and count < SURVEY_THRESHOLD

    def shares(keys: list[str]) -> list[dict[str, Any]]:
        counted: dict[str, int] = defaultdict(int)
        for key in keys:
            counted[key] += 1
        ranked = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [
            {
                "category": k,
                "respondents": None if hidden(v) else v,
                "share": None if hidden(v) else round(100 * v / n, 1),
            }
            for k, v in ranked
        ]

    return {
        "n": n,
        "representative": False,
        "incident_types": shares([o.incident_type for o in answers]),
        "locations": shares([o.place for o in answers if o.place]),
        "smugglers": _smuggler_answers(answers, hidden),
    }


def _smuggler_answers(answers: list[RiskObservation], hidden: Any) -> dict[str, Any]:
    """Share of respondents who used a smuggler (of those who answered) and the median cost."""
    said = [o.smuggler_used for o in answers if o.smuggler_used is not None]
    used = sum(1 for u in said if u)
    costs = sorted(o.smuggler_cost_usd for o in answers if o.smuggler_cost_usd is not None)
    median = None
    if costs and not hidden(len(costs)):
        middle = len(costs) // 2
        median = costs[middle] if len(costs) % 2 else (costs[middle - 1] + costs[middle]) / 2
    return {
        "answered": len(said),
        "used": None if hidden(used) else used,
        "share_used": None if not said or hidden(used) else round(100 * used / len(said), 1),
        "cost_n": len(costs),
        "median_cost_usd": median,
    }
