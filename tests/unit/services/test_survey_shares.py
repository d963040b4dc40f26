"""Survey-based entries as shares of respondents with their n; nothing public below 10, and no
public category, smuggler share or cost resting on fewer than 10 answers."""

from __future__ import annotations

import datetime as dt

from itinera.domain.monitoring import Confidentiality, RiskObservation
from itinera.services.monitoring.summary import count_observations, survey_shares

DAY = dt.date(2024, 1, 1)


def _answer(
    kind: str,
    place: str,
    source: str = "survey",
    used: bool | None = None,
    cost: float | None = None,
) -> RiskObservation:
    return RiskObservation(
        kind,
        "central-mediterranean",
        DAY,
        DAY,
        source,
        "c",
        "3",
        Confidentiality.INTERNAL,
        place=place,
        persons=1,
        smuggler_used=used,
        smuggler_cost_usd=cost,
    )


def test_shares_of_respondents_with_n() -> None:
    answers = [_answer("kidnapping", "Sabha")] * 16 + [_answer("robbery", "Agadez")] * 4
    shares = survey_shares([*answers, _answer("death", "Zuwara", "media")], exact=False)
    assert shares is not None and shares["n"] == 20 and shares["representative"] is False
    assert shares["incident_types"][0] == {
        "category": "kidnapping",
        "respondents": 16,
        "share": 80.0,
    }
    assert [r["category"] for r in shares["locations"]] == ["Sabha", "Agadez"]
    # 4 respondents are a survey count below 10: hidden from the public, shown inside
    assert shares["incident_types"][1] == {
        "category": "robbery",
        "respondents": None,
        "share": None,
    }
    exact = survey_shares(answers, exact=True)
    assert exact is not None and exact["incident_types"][1]["respondents"] == 4


def test_smuggler_use_and_median_cost() -> None:
    answers = [_answer("robbery", "Sabha", used=True, cost=1000.0 + 100 * i) for i in range(11)]
    answers += [_answer("robbery", "Sabha", used=False)] * 11 + [_answer("robbery", "Sabha")] * 3
    smugglers = survey_shares(answers, exact=False)["smugglers"]  # type: ignore[index]
    assert smugglers == {
        "answered": 22,
        "used": 11,
        "share_used": 50.0,
        "cost_n": 11,
        "median_cost_usd": 1500.0,
    }
    few = survey_shares(answers[5:], exact=False)["smugglers"]  # type: ignore[index]
    assert few["used"] is None and few["share_used"] is None and few["median_cost_usd"] is None
    inside = survey_shares(answers[5:], exact=True)["smugglers"]  # type: ignore[index]
    assert inside["used"] == 6 and inside["median_cost_usd"] == 1750.0


def test_fewer_than_ten_respondents_are_not_published() -> None:
    answers = [_answer("kidnapping", "Sabha")] * 9
    assert survey_shares(answers, exact=False) is None
    assert survey_shares(answers, exact=True) is not None


def test_survey_counts_need_ten_for_the_public() -> None:
    answers = [_answer("kidnapping", "Sabha")] * 7 + [_answer("robbery", "Agadez")] * 12
    counted = count_observations(answers, "incident_type", exact=False, threshold=5)
    persons = {r["category"]: r["persons"] for r in counted["rows"]}
    assert counted["threshold"] == 10 and persons["kidnapping"] is None
