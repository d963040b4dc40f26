"""Wire shapes of service mapping (C5), shared by the API and the CLI's ``--json``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from itinera.domain.service_point import (
    ContactChannel,
    ContactKind,
    PointKind,
    PointStatus,
    Population,
    ServiceOffer,
    ServicePoint,
)
from itinera.schemas import MAX_DATABASE_INT
from itinera.services.services_map.analysis import RouteComplementarity, SitingReport
from itinera.services.services_map.exports import feature
from itinera.services.services_map.registry import Listing

__all__ = [
    "ServicePointIn",
    "ServicePointOut",
    "complementarity_out",
    "point_out",
    "siting_out",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OfferIn(_Strict):
    service_type: Annotated[str, Field(max_length=64, description="a service-type code")]
    eligibility: str | None = None
    cost: str | None = None
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes")
    opening_hours: str | None = Field(
        None, description="'Mo-Fr 08:00-16:00; Sa 09:00-12:00' or '24/7'"
    )
    referral_required: bool = False


class ContactIn(_Strict):
    kind: ContactKind
    value: Annotated[str, Field(max_length=300)]
    label: str | None = None


class ServicePointIn(_Strict):
    name: Annotated[str, Field(max_length=300)]
    kind: PointKind
    lat: float | None = None
    lon: float | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-3")
    admin_area: str | None = None
    locality: str | None = None
    organisation_ids: list[Annotated[int, Field(ge=1, le=MAX_DATABASE_INT)]] = Field(
        default_factory=list, max_length=50
    )
    offers: list[OfferIn] = Field(default_factory=list)
    populations: list[Population] = Field(default_factory=list)
    contacts: list[ContactIn] = Field(default_factory=list)
    status: PointStatus = PointStatus.ACTIVE
    status_since: date | None = None
    status_until: date | None = None
    last_verified: date | None = None
    verified_by: str | None = None
    notes: str | None = None
    version: int | None = Field(None, description="the version you edited (updates)")

    def to_domain(self) -> ServicePoint:
        return ServicePoint(
            None,
            self.name,
            self.kind,
            self.lat,
            self.lon,
            self.country,
            self.admin_area,
            self.locality,
            tuple(self.organisation_ids),
            tuple(
                ServiceOffer(
                    o.service_type,
                    o.eligibility,
                    o.cost,
                    tuple(o.languages),
                    o.opening_hours,
                    o.referral_required,
                )
                for o in self.offers
            ),
            tuple(self.populations),
            tuple(ContactChannel(c.kind, c.value, c.label) for c in self.contacts),
            self.status,
            self.status_since,
            self.status_until,
            self.last_verified,
            self.verified_by,
            notes=self.notes,
        )


class OrganisationOut(BaseModel):
    id: int
    name: str
    acronym: str | None
    type: str


class ServicePointOut(ServicePointIn):
    model_config = ConfigDict(extra="ignore")
    id: int
    stale: bool
    organisations: list[OrganisationOut]
    source: str | None
    external_id: str | None
    distance_km: float | None = None
    version: int | None = None


def point_out(item: Listing) -> ServicePointOut:
    p = item.point
    return ServicePointOut(
        id=p.id or 0,
        name=p.name,
        kind=p.kind,
        lat=p.lat,
        lon=p.lon,
        country=p.country,
        admin_area=p.admin_area,
        locality=p.locality,
        organisation_ids=list(p.organisation_ids),
        offers=[
            OfferIn(
                service_type=o.service_type,
                eligibility=o.eligibility,
                cost=o.cost,
                languages=list(o.languages),
                opening_hours=o.opening_hours,
                referral_required=o.referral_required,
            )
            for o in p.offers
        ],
        populations=list(p.populations),
        contacts=[ContactIn(kind=c.kind, value=c.value, label=c.label) for c in p.contacts],
        status=p.status,
        status_since=p.status_since,
        status_until=p.status_until,
        last_verified=p.last_verified,
        verified_by=p.verified_by,
        notes=p.notes,
        version=p.version,
        stale=item.stale,
        source=p.source,
        external_id=p.external_id,
        organisations=[
            OrganisationOut(id=o.id or 0, name=o.name, acronym=o.acronym, type=o.type.value)
            for o in item.organisations
        ],
        distance_km=item.distance_km,
    )


def complementarity_out(result: RouteComplementarity) -> dict[str, Any]:
    """Coverage per service type, gaps, uncovered hotspots and duplicates of one route."""
    names = {p.id: p.name for p in result.near_points}
    return {
        "route_id": result.geometry.route.id,
        "route_name": result.geometry.route.name.get("en", result.geometry.route.id),
        "demand_points": result.demand_points,
        "coverage": [
            {
                "service_type": c.service_type,
                "radius_km": c.radius_km,
                "length_km": round(c.length_km, 1),
                "covered_km": round(c.covered_km, 1),
                "share_length": round(c.share_length, 4),
                "share_demand": round(c.share_demand, 4),
                "providers": c.providers,
                "gaps": [
                    {
                        "leg": g.leg,
                        "start_km": round(g.start_km, 1),
                        "end_km": round(g.end_km, 1),
                        "length_km": round(g.length_km, 1),
                        "start": list(g.start),
                        "end": list(g.end),
                    }
                    for g in c.gaps
                ],
                "uncovered_hotspots": [
                    {"label": h.label, "lat": h.lat, "lon": h.lon, "weight": round(h.weight, 2)}
                    for h in c.uncovered_hotspots
                ],
            }
            for c in result.coverage
        ],
        "duplicates": [
            {
                "service_type": d.service_type,
                "points": [{"id": k, "name": names.get(k, "")} for k in d.facility_keys],
                "organisation_ids": list(d.organisation_ids),
            }
            for d in result.duplicates
        ],
        "same_place": [
            {
                "first": {"id": s.first, "name": names.get(s.first, "")},
                "second": {"id": s.second, "name": names.get(s.second, "")},
                "distance_km": s.distance_km,
                "name_similarity": s.name_similarity,
            }
            for s in result.same_place
        ],
        "points": [feature(Listing(p, (), False)) for p in result.near_points],
        "legs": {"type": "FeatureCollection", "features": result.geometry.features},
    }


def siting_out(report: SitingReport) -> dict[str, Any]:
    data = dict(report.__dict__)
    data["gap"] = round(report.gap, 6)
    data["route_ids"] = list(report.route_ids)
    data["service_types"] = list(report.service_types)
    data["greedy"] = {"sites": data.pop("greedy_sites"), "covered": data.pop("greedy_covered")}
    data["improvement_over_greedy"] = round(report.covered - report.greedy_covered, 3)
    return data
