"""Survey-based entries as shares of respondents with their n; nothing public below 10."""

from __future__ import annotations

import datetime as dt

from itinera.domain.monitoring import Confidentiality, RiskObservation
from itinera.services.monitoring.summary import count_observations, survey_shares

DAY = dt.date(2024, 1, 1)


def _answer(kind: str, place: str, source: str = "survey") -> RiskObservation:
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
    )


def test_shares_of_respondents_with_n() -> None:
    answers = [_answer("kidnapping", "Sabha")] * 6 + [_answer("robbery", "Agadez")] * 4
    shares = survey_shares([*answers, _answer("death", "Zuwara", "media")], exact=False)
    assert shares is not None and shares["n"] == 10
    assert shares["incident_types"][0] == {
        "category": "kidnapping",
        "respondents": 6,
        "share": 60.0,
    }
    assert [r["category"] for r in shares["locations"]] == ["Sabha", "Agadez"]


def test_fewer_than_ten_respondents_are_not_published() -> None:
    answers = [_answer("kidnapping", "Sabha")] * 9
    assert survey_shares(answers, exact=False) is None
    assert survey_shares(answers, exact=True) is not None


def test_survey_counts_need_ten_for_the_public() -> None:
    answers = [_answer("kidnapping", "Sabha")] * 7 + [_answer("robbery", "Agadez")] * 12
    counted = count_observations(answers, "incident_type", exact=False, threshold=5)
    persons = {r["category"]: r["persons"] for r in counted["rows"]}
    assert counted["threshold"] == 10 and persons["kidnapping"] is None
