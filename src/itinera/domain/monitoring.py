"""Field monitoring (C11): protection-risk observations, field notes and their rules.

An observation says what happened (an incident type of the vocabulary), where (a place of the
catalogue, coordinates or a leg of a route), when (a date or a period of dates), by whom (a
perpetrator category), to how many persons (with sex and age group where known), from which
source and how credible, and who may read it (its confidentiality). Entries hold no names: free
text that looks like a phone or document number is refused, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from itinera.domain.errors import FieldError, ValidationError

__all__ = [
    "VOCABULARY_LISTS",
    "Confidentiality",
    "FieldNote",
    "RiskObservation",
    "Vocabularies",
    "check_note",
    "check_observation",
    "identifying_text",
]

VOCABULARY_LISTS = (
    "incident_types",
    "perpetrators",
    "source_types",
    "note_tags",
    "reliability_grades",
    "credibility_grades",
    "sexes",
    "age_groups",
)


class Confidentiality(StrEnum):
    PUBLIC = "public"  # may appear in the public edition of a report
    INTERNAL = "internal"  # analysts and coordinators; internal editions
    RESTRICTED = "restricted"  # the recording organisation only; never in a report


@dataclass(frozen=True)
class Vocabularies:
    """Each list's codes and their names by language (``reference/data/monitoring.yaml``)."""

    lists: Mapping[str, Mapping[str, Mapping[str, str]]]
    version: int = 1

    def codes(self, name: str) -> tuple[str, ...]:
        return tuple(self.lists[name])

    def label(self, name: str, code: str, language: str) -> str:
        names = self.lists.get(name, {}).get(code)
        if names is None:
            return code
        return names.get(language) or names["en"]


@dataclass(frozen=True)
class RiskObservation:
    incident_type: str
    route_id: str
    date_from: date
    date_to: date
    source_type: str
    reliability: str
    credibility: str
    confidentiality: Confidentiality
    perpetrator: str = "unknown"
    place: str | None = None  # a place name of the catalogue
    latitude: float | None = None
    longitude: float | None = None
    leg: int | None = None  # index of the route's leg (0-based)
    persons: int | None = None
    sex: str = "unknown"
    age_group: str = "unknown"
    description: str = ""
    id: int | None = None
    organisation_id: int | None = None
    batch_id: int | None = None
    smuggler_used: bool | None = None  # survey answers: did the respondent use a smuggler
    smuggler_cost_usd: float | None = None  # and what the journey's smuggling cost (USD)


@dataclass(frozen=True)
class FieldNote:
    route_id: str
    date_from: date
    date_to: date
    text: str
    confidentiality: Confidentiality
    tags: tuple[str, ...] = field(default_factory=tuple)
    place: str | None = None
    author: str = ""
    organisation_id: int | None = None
    id: int | None = None
    batch_id: int | None = None


# Passport-like document numbers (one or two letters then 6-9 digits), e-mail addresses, and
# phone numbers or long digit runs such as ID or card numbers (8+ digits with separators).
_IDENTIFYING = (
    (re.compile(r"\b[A-Za-z]{1,2}\d{6,9}\b"), "looks like a passport or document number"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "looks like an e-mail address"),
    (re.compile(r"\+?\d[\d\s().-]{6,}\d"), "looks like a phone or identity number"),
)


def identifying_text(text: str) -> str | None:
    """Why ``text`` may identify a person, or None. Dates (2025-01-31) are not numbers here."""
    cleaned = re.sub(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", " ", text)
    for pattern, reason in _IDENTIFYING:
        if pattern.search(cleaned):
            return reason
    return None


def _in(vocab: Vocabularies, name: str, value: str, field_name: str) -> list[FieldError]:
    if value in vocab.lists[name]:
        return []
    return [FieldError(field_name, f"{value!r} is not one of {', '.join(vocab.codes(name))}")]


def _period(date_from: date, date_to: date) -> list[FieldError]:
    if date_to < date_from:
        return [FieldError("date_to", f"{date_to} is before {date_from}")]
    return []


def _free_text(text: str, field_name: str) -> list[FieldError]:
    reason = identifying_text(text)
    if reason is None:
        return []
    return [FieldError(field_name, f"refused: {reason}; entries must not identify a person")]


def check_observation(observation: RiskObservation, vocab: Vocabularies) -> None:
    """Raise :class:`ValidationError` naming every field that breaks a rule."""
    o = observation
    errors = [
        *_in(vocab, "incident_types", o.incident_type, "incident_type"),
        *_in(vocab, "perpetrators", o.perpetrator, "perpetrator"),
        *_in(vocab, "source_types", o.source_type, "source_type"),
        *_in(vocab, "reliability_grades", o.reliability, "reliability"),
        *_in(vocab, "credibility_grades", o.credibility, "credibility"),
        *_in(vocab, "sexes", o.sex, "sex"),
        *_in(vocab, "age_groups", o.age_group, "age_group"),
        *_period(o.date_from, o.date_to),
        *_free_text(o.description, "description"),
        *_free_text(o.place or "", "place"),
    ]
    if (o.latitude is None) != (o.longitude is None):
        errors.append(FieldError("latitude", "give both latitude and longitude, or neither"))
    if o.latitude is not None and not -90 <= o.latitude <= 90:
        errors.append(FieldError("latitude", "must be between -90 and 90"))
    if o.longitude is not None and not -180 <= o.longitude <= 180:
        errors.append(FieldError("longitude", "must be between -180 and 180"))
    if o.place is None and o.latitude is None and o.leg is None:
        errors.append(FieldError("where", "give a place, coordinates or a leg of the route"))
    if o.persons is not None and o.persons < 0:
        errors.append(FieldError("persons", "must be zero or more"))
    if o.smuggler_cost_usd is not None and not 0 <= o.smuggler_cost_usd <= 1_000_000:
        errors.append(FieldError("smuggler_cost_usd", "must be between 0 and 1,000,000 (USD)"))
    if errors:
        raise ValidationError(errors)


def check_note(note: FieldNote, vocab: Vocabularies) -> None:
    errors = [*_period(note.date_from, note.date_to), *_free_text(note.text, "text")]
    for i, tag in enumerate(note.tags):
        errors += _in(vocab, "note_tags", tag, f"tags[{i}]")
    if not note.text.strip():
        errors.append(FieldError("text", "a note needs some text"))
    if errors:
        raise ValidationError(errors)
