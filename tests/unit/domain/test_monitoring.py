"""Field monitoring rules (C11): identifying free text, vocabularies, where and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from itinera.domain.errors import ValidationError
from itinera.domain.monitoring import (
    Confidentiality,
    FieldNote,
    RiskObservation,
    check_note,
    check_observation,
    identifying_text,
)
from itinera.reference.monitoring import packaged_vocabularies

VOCAB = packaged_vocabularies()
DAY = dt.date(2024, 2, 3)
OBSERVATION = RiskObservation(
    incident_type="kidnapping",
    route_id="central-mediterranean",
    date_from=DAY,
    date_to=DAY,
    source_type="interview",
    reliability="b",
    credibility="2",
    confidentiality=Confidentiality.PUBLIC,
    place="Sabha",
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("call +218 91 234 5678", "phone"),
        ("his number is 0912345678", "phone"),
        ("00 33 6 12 34 56 78", "phone"),
        ("passport AB1234567", "document"),
        ("ID card P12345678 was taken", "document"),
        ("write to someone@example.org", "e-mail"),
    ],
)
def test_identifying_text_is_recognised(text: str, reason: str) -> None:
    found = identifying_text(text)
    assert found is not None and reason in found


@pytest.mark.parametrize(
    "text",
    [
        "seen on 2024-01-31 near Zuwara",
        "12 persons, 3 children, on 03/02/2024",
        "boat of 45 people left at 04:30",
        "طلب المهربون 1500 دينار",
        "Route N1 towards Agadez, km 1200",
    ],
)
def test_ordinary_text_passes(text: str) -> None:
    assert identifying_text(text) is None


def test_a_valid_observation_passes_and_the_vocabulary_is_translated() -> None:
    check_observation(OBSERVATION, VOCAB)
    assert VOCAB.label("incident_types", "kidnapping", "fr") == "Enlèvement"
    assert VOCAB.label("incident_types", "kidnapping", "ar") == "اختطاف"


def test_every_broken_rule_is_named_at_once() -> None:
    bad = replace(
        OBSERVATION,
        incident_type="rumour",
        reliability="z",
        place=None,
        date_to=DAY - dt.timedelta(days=1),
        latitude=95.0,
        persons=-1,
    )
    with pytest.raises(ValidationError) as caught:
        check_observation(bad, VOCAB)
    fields = {e.field for e in caught.value.errors}
    assert {"incident_type", "reliability", "date_to", "latitude", "persons"} <= fields


def test_a_leg_or_coordinates_are_enough_to_say_where() -> None:
    check_observation(replace(OBSERVATION, place=None, leg=1), VOCAB)
    check_observation(replace(OBSERVATION, place=None, latitude=32.9, longitude=12.1), VOCAB)


def test_notes_refuse_identifying_text_and_unknown_tags() -> None:
    note = FieldNote("central-mediterranean", DAY, DAY, "text", Confidentiality.INTERNAL)
    check_note(note, VOCAB)
    with pytest.raises(ValidationError) as caught:
        check_note(replace(note, text="contact +33 6 12 34 56 78", tags=("gossip",)), VOCAB)
    assert {e.field for e in caught.value.errors} == {"text", "tags[0]"}
