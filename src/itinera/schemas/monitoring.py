"""Wire shapes of field monitoring (C11): what ``POST /api/field/observations`` and
``POST /api/field/notes`` accept. Codes are checked against the vocabularies by the service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from itinera.domain.monitoring import Confidentiality, FieldNote, RiskObservation

__all__ = ["FieldNoteIn", "RiskObservationIn"]

Code = Annotated[str, Field(max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Period(_Strict):
    date: Annotated[dt.date | None, Field(description="the day, or give date_from and date_to")] = (
        None
    )
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @model_validator(mode="after")
    def _one_period(self) -> _Period:
        if self.date is None and self.date_from is None:
            raise ValueError("give a date, or a period with date_from and date_to")
        return self

    def period(self) -> tuple[dt.date, dt.date]:
        first = self.date_from or self.date
        last = self.date_to or self.date or first
        assert first is not None and last is not None
        return first, last


class RiskObservationIn(_Period):
    route_id: Annotated[str, Field(max_length=64)]
    incident_type: Annotated[Code, Field(description="a code of monitoring incident_types")]
    perpetrator: Code = "unknown"
    place: Annotated[str | None, Field(max_length=200, description="a catalogue place")] = None
    latitude: Annotated[float | None, Field(ge=-90, le=90)] = None
    longitude: Annotated[float | None, Field(ge=-180, le=180)] = None
    leg: Annotated[int | None, Field(ge=0, le=1000, description="the route's leg, from 0")] = None
    persons: Annotated[int | None, Field(ge=0, le=1_000_000)] = None
    sex: Code = "unknown"
    age_group: Code = "unknown"
    source_type: Code
    reliability: Annotated[str, Field(max_length=1, description="A to F")]
    credibility: Annotated[str, Field(max_length=1, description="1 to 6")]
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    description: Annotated[str, Field(max_length=4000)] = ""

    def to_domain(self) -> RiskObservation:
        first, last = self.period()
        return RiskObservation(
            incident_type=self.incident_type,
            route_id=self.route_id,
            date_from=first,
            date_to=last,
            source_type=self.source_type,
            reliability=self.reliability.lower(),
            credibility=self.credibility,
            confidentiality=self.confidentiality,
            perpetrator=self.perpetrator,
            place=self.place,
            latitude=self.latitude,
            longitude=self.longitude,
            leg=self.leg,
            persons=self.persons,
            sex=self.sex,
            age_group=self.age_group,
            description=self.description,
        )


class FieldNoteIn(_Period):
    route_id: Annotated[str, Field(max_length=64)]
    text: Annotated[str, Field(min_length=1, max_length=8000)]
    tags: Annotated[list[Code], Field(max_length=20)] = []
    place: Annotated[str | None, Field(max_length=200)] = None
    confidentiality: Confidentiality = Confidentiality.INTERNAL

    def to_domain(self) -> FieldNote:
        first, last = self.period()
        return FieldNote(
            route_id=self.route_id,
            date_from=first,
            date_to=last,
            text=self.text,
            confidentiality=self.confidentiality,
            tags=tuple(self.tags),
            place=self.place,
        )
