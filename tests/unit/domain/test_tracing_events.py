"""Scoring a dead-and-missing event against a person sought: window, origins, place, sex."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from itinera.domain.case import Sex
from itinera.domain.movement_records import IncidentRecord
from itinera.domain.tracing import SoughtPerson
from itinera.domain.tracing_events import score_event

PERSON = SoughtPerson(
    "Mamadou", "Testperson", Sex.MALE, "GIN", last_seen_date=date(2023, 2, 25), id=1
)
INCIDENT = IncidentRecord(
    1,
    1,
    "2023.MMP0001",
    "Incident",
    date(2023, 3, 2),
    2,
    1,
    10,
    0,
    3,
    None,
    None,
    None,
    None,
    None,
    "LBY",
    None,
    "Off Zuwara, Libya",
    ("Drowning",),
    ("GIN",),
    (),
    None,
    None,
    False,
    None,
    None,
    "mmp",
    None,
)


def test_an_incident_soon_after_at_the_place_with_the_origin_scores_high() -> None:
    scored = score_event(PERSON, INCIDENT, "zuwara")
    assert scored is not None and scored[0] > 0.9
    assert [s.comparison for s in scored[1]] == ["prior", "date", "nationality", "place", "sex"]


def test_outside_the_window_or_before_the_sighting_nothing_is_proposed() -> None:
    assert score_event(PERSON, replace(INCIDENT, date=date(2024, 6, 1)), "zuwara") is None
    assert score_event(PERSON, replace(INCIDENT, date=date(2023, 1, 1)), "zuwara") is None
    assert score_event(replace(PERSON, last_seen_date=None), INCIDENT, "zuwara") is None
    assert score_event(PERSON, replace(INCIDENT, dead=0, missing=0), "zuwara") is None


def test_nobody_of_the_persons_sex_and_another_origin_weigh_against() -> None:
    only_women = replace(INCIDENT, females=3, males=0, origins=("ERI",))
    scored = score_event(PERSON, only_women, None)
    assert scored is not None and scored[0] < 0.01
