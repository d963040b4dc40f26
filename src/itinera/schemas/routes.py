"""Wire shapes of routes (C1): what the API answers and accepts, and ``--json`` prints."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from itinera.domain.place import Place, PlaceKind
from itinera.domain.route import CountryRole, Leg, LinkKind, Mode, Route, RouteCountry
from itinera.domain.text import localise
from itinera.services.catalogue.routes import RouteDetail

__all__ = ["LegIn", "RouteIn", "RouteOut", "RouteSummaryOut", "route_out", "route_summary_out"]

Text = Annotated[
    dict[str, str], Field(description='text by language code, e.g. {"en": …, "fr": …}')
]
PlaceRef = Annotated[
    str,
    Field(
        min_length=2,
        max_length=64,
        description="ISO 3166 alpha-3 country code (ITA) or a place id (lampedusa)",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CountryIn(_Strict):
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166 alpha-3")]
    role: CountryRole


class LegIn(_Strict):
    from_: PlaceRef = Field(alias="from")
    to: PlaceRef
    mode: Mode
    via: PlaceRef | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_domain(self) -> Leg:
        return Leg(self.from_, self.to, self.mode, self.via)


class RouteIn(_Strict):
    """A route as created (POST, with ``id``) or replaced (PUT, ``id`` from the path)."""

    id: Annotated[str | None, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)] = None
    name: Text
    group: str | None = None
    description: Text = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list, max_length=50)
    aliases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=200
    )
    countries: list[CountryIn] = Field(default_factory=list, max_length=200)
    legs: list[LegIn] = Field(default_factory=list, max_length=200)
    version: int | None = Field(
        None, description="the version you edited (PUT): a stale version answers 409"
    )

    def to_domain(self, route_id: str) -> Route:
        return Route(
            id=route_id,
            name=self.name,
            group=self.group,
            description=self.description,
            sources=tuple(self.sources),
            aliases=tuple(self.aliases),
            countries=tuple(RouteCountry(c.country, c.role) for c in self.countries),
            legs=tuple(leg.to_domain() for leg in self.legs),
        )


class PlaceOut(BaseModel):
    id: str
    kind: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None


class CountryOut(BaseModel):
    country: str
    name: str
    role: CountryRole


class LegOut(BaseModel):
    position: int
    from_: PlaceOut = Field(alias="from")

    model_config = ConfigDict(populate_by_name=True)
    to: PlaceOut
    mode: Mode
    via: PlaceOut | None


class LinkOut(BaseModel):
    route_id: str
    kind: LinkKind
    direction: str = Field(description="'to' when this route is the link's origin, else 'from'")
    source: str | None
    note: str


class GroupOut(BaseModel):
    id: str
    name: str
    description: str


class RouteSummaryOut(BaseModel):
    id: str
    name: str
    names: dict[str, str]
    group: str | None
    origin: str
    edited: bool
    version: int
    country_count: int
    leg_count: int


class RouteOut(RouteSummaryOut):
    description: str
    sources: list[str]
    aliases: list[str]
    group_detail: GroupOut | None
    countries: list[CountryOut] = Field(description="each country with its role on the route")
    legs: list[LegOut] = Field(description="ordered legs, from place to place")
    links: list[LinkOut]
    geometry: dict[str, Any] = Field(description="GeoJSON FeatureCollection, one line per leg")


def route_summary_out(route: Route, language: str) -> RouteSummaryOut:
    return RouteSummaryOut(
        id=route.id,
        name=localise(route.name, language),
        names=dict(route.name),
        group=route.group,
        origin=route.origin,
        edited=route.edited,
        version=route.version,
        country_count=len({c.country for c in route.countries}),
        leg_count=len(route.legs),
    )


def route_out(detail: RouteDetail, language: str) -> RouteOut:
    route, places = detail.route, detail.places

    def place(pid: str) -> PlaceOut:
        p = places.get(pid) or Place(pid, kind=PlaceKind.LOCALITY)
        return PlaceOut(
            id=p.id,
            kind=p.kind.value,
            name=localise(p.name, language) or p.id,
            country=p.country,
            lat=p.lat,
            lon=p.lon,
        )

    summary = route_summary_out(route, language)
    return RouteOut(
        **summary.model_dump(),
        description=localise(route.description, language),
        sources=list(route.sources),
        aliases=list(route.aliases),
        group_detail=GroupOut(
            id=detail.group.id,
            name=localise(detail.group.name, language),
            description=localise(detail.group.description, language),
        )
        if detail.group
        else None,
        countries=[
            CountryOut(country=c.country, name=place(c.country).name, role=c.role)
            for c in route.countries
        ],
        legs=[
            LegOut(
                position=i,
                from_=place(leg.from_place),
                to=place(leg.to_place),
                mode=leg.mode,
                via=place(leg.via) if leg.via else None,
            )
            for i, leg in enumerate(route.legs)
        ],
        links=[
            LinkOut(
                route_id=link.to_route if link.from_route == route.id else link.from_route,
                kind=link.kind,
                direction="to" if link.from_route == route.id else "from",
                source=link.source,
                note=localise(link.note, language),
            )
            for link in detail.links
        ],
        geometry=detail.geojson(language),
    )
