"""Wire shapes of activities (C6): what the API accepts and answers, converted at the edge."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from itinera.domain.activity import Activity, ActivityFigure, ActivityStatus, Aggregation

__all__ = ["ActivityIn", "ActivityOut", "FigureIn", "activity_out"]


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sector: str = Field(min_length=1, max_length=200)
    pillar: int = Field(ge=1, le=6)
    country: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166 alpha-3")
    title: str = Field(default="", max_length=500)
    project_code: str | None = Field(default=None, max_length=120)
    key_area: str | None = Field(default=None, max_length=64)
    service_types: list[str] = Field(default_factory=list, max_length=20)
    adm1: str | None = Field(default=None, max_length=200)
    adm2: str | None = Field(default=None, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    population_group: str | None = Field(default=None, max_length=120)
    start: date | None = None
    end: date | None = None
    status: ActivityStatus = ActivityStatus.ONGOING
    indicator: str | None = Field(default=None, max_length=500)
    aggregation: Aggregation = Aggregation.SUM
    budget: float | None = Field(default=None, ge=0, le=1e15)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")

    def to_domain(self, organisation_id: int) -> Activity:
        values = self.model_dump()
        values["service_types"] = tuple(values["service_types"])
        return Activity(id=None, organisation_id=organisation_id, **values)


class FigureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    in_need: float | None = Field(default=None, ge=0, le=1e12)
    targeted: float | None = Field(default=None, ge=0, le=1e12)
    reached: float | None = Field(default=None, ge=0, le=1e12)
    sex: str | None = Field(default=None, pattern=r"^(f|m)$")
    age_group: str | None = Field(default=None, max_length=16)

    def to_domain(self) -> ActivityFigure:
        return ActivityFigure(**self.model_dump())


class ActivityOut(BaseModel):
    id: int
    organisation_id: int
    sector: str
    pillar: int
    country: str
    title: str
    adm1: str | None
    adm2: str | None
    lat: float | None
    lon: float | None
    status: str
    indicator: str | None
    aggregation: str
    budget: float | None
    currency: str | None
    source: str
    figures: list[dict[str, Any]]


def activity_out(activity: Activity) -> ActivityOut:
    return ActivityOut(
        id=activity.id or 0,
        organisation_id=activity.organisation_id,
        sector=activity.sector,
        pillar=activity.pillar,
        country=activity.country,
        title=activity.title,
        adm1=activity.adm1,
        adm2=activity.adm2,
        lat=activity.lat,
        lon=activity.lon,
        status=activity.status.value,
        indicator=activity.indicator,
        aggregation=activity.aggregation.value,
        budget=activity.budget,
        currency=activity.currency,
        source=activity.source,
        figures=[
            {
                "period": f.period,
                "in_need": f.in_need,
                "targeted": f.targeted,
                "reached": f.reached,
                "sex": f.sex,
                "age_group": f.age_group,
                "state": f.state.value,
            }
            for f in activity.figures
        ],
    )
