"""The service-point registry: list with filters and search, near a place, create, edit."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date

import pycountry
from babel import Locale

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ConflictError, NotFoundError, ValidationError
from itinera.domain.organisation import Organisation
from itinera.domain.reference import ReferenceCategory, ReferenceItem
from itinera.domain.service_point import PointStatus, ServicePoint, is_stale, validate_service_point
from itinera.domain.spatial import GridIndex
from itinera.services.places import lookup as places
from itinera.storage.accounts.organisation_repository import OrganisationRepository
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.database import Database, UnitOfWork
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = [
    "Listing",
    "PointChoices",
    "ServiceFilter",
    "create_point",
    "delete_point",
    "get_point",
    "list_points",
    "near",
    "point_choices",
    "resolve_place",
    "update_point",
]


@dataclass(frozen=True)
class ServiceFilter:
    service_type: str | None = None
    kind: str | None = None
    organisation_id: int | None = None
    language: str | None = None
    status: str | None = None
    country: str | None = None
    route_id: str | None = None
    text: str | None = None  # full-text search over names, places, organisations, details


@dataclass(frozen=True)
class Listing:
    """A point as the directory shows it: with its organisations, staleness and distance."""

    point: ServicePoint
    organisations: tuple[Organisation, ...]
    stale: bool
    distance_km: float | None = None


@dataclass(frozen=True)
class PointChoices:
    """What a service point may refer to: the service types and the organisations."""

    service_types: list[ReferenceItem]
    organisations: list[Organisation]


def point_choices(db: Database) -> PointChoices:
    """Both lists are public (the map's filters and the point form offer them)."""
    with db.transaction() as session:
        types = ReferenceRepository(session).items(ReferenceCategory.SERVICE_TYPE)
        organisations = OrganisationRepository(session).list()
    return PointChoices(types, organisations)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _type_names(db: Database) -> dict[str, str]:
    """Service type code → its names in every language, so that "santé" or "صحة" finds the
    health points as "health" does."""
    with db.transaction() as session:
        types = ReferenceRepository(session).items(ReferenceCategory.SERVICE_TYPE)
    return {t.code: " ".join(t.name.values()) for t in types}


def _country_names(alpha_3: str | None) -> str:
    """The country's name in English, French and Arabic (Babel's territory names)."""
    country = pycountry.countries.get(alpha_3=alpha_3) if alpha_3 else None
    if country is None:
        return ""
    names = [country.name]
    for language in ("fr", "ar"):
        names.append(Locale.parse(language).territories.get(country.alpha_2, ""))
    return " ".join(names)


def _haystack(
    point: ServicePoint,
    organisations: tuple[Organisation, ...],
    type_names: dict[str, str] | None = None,
) -> str:
    names = type_names or {}
    parts = [
        _country_names(point.country),
        point.name,
        point.locality or "",
        point.admin_area or "",
        point.country or "",
        point.notes or "",
        *point.service_types,
        *(names.get(t, "") for t in point.service_types),
    ]
    parts += [o.name for o in organisations] + [o.acronym or "" for o in organisations]
    parts += [o.eligibility or "" for o in point.offers]
    return _fold(" ".join(parts))


def _listings(db: Database, today: date, stale_days: int) -> list[Listing]:
    with db.transaction() as session:
        points = ServicePointRepository(session).all()
        organisations = {o.id: o for o in OrganisationRepository(session).list()}
    return [
        Listing(
            p,
            tuple(organisations[o] for o in p.organisation_ids if o in organisations),
            is_stale(p, today, stale_days),
        )
        for p in points
    ]


def list_points(
    db: Database,
    actor: Actor,
    wanted: ServiceFilter,
    *,
    stale_after_days: int,
    today: date | None = None,
    near_route: set[int] | None = None,
) -> list[Listing]:
    """Every point matching the filter; ``near_route`` is the set of point ids near the
    filter's route (computed by the complementarity service)."""
    require(actor, Action.VIEW_SERVICES)
    terms = _fold(wanted.text).split() if wanted.text else []
    type_names = _type_names(db) if terms else {}
    found: list[Listing] = []
    for listing in _listings(db, today or date.today(), stale_after_days):
        p = listing.point
        if (
            (wanted.service_type and wanted.service_type not in p.service_types)
            or (wanted.kind and p.kind.value != wanted.kind)
            or (wanted.organisation_id and wanted.organisation_id not in p.organisation_ids)
            or (wanted.language and all(wanted.language not in o.languages for o in p.offers))
            or (wanted.status and p.status.value != wanted.status)
            or (wanted.country and p.country != wanted.country.upper())
            or (near_route is not None and p.id not in near_route)
        ):
            continue
        if terms and not all(t in _haystack(p, listing.organisations, type_names) for t in terms):
            continue
        found.append(listing)
    return found


def near(
    db: Database,
    actor: Actor,
    lat: float,
    lon: float,
    *,
    service_type: str | None,
    limit: int,
    stale_after_days: int,
    max_km: float = 2_000.0,
) -> list[Listing]:
    """The nearest active points (offering ``service_type``) to a coordinate, with distance."""
    require(actor, Action.VIEW_SERVICES)
    listings = [
        item
        for item in _listings(db, date.today(), stale_after_days)
        if item.point.has_coordinates
        and item.point.status is PointStatus.ACTIVE
        and (service_type is None or service_type in item.point.service_types)
    ]
    index = GridIndex(
        (
            (i, item.point.lat, item.point.lon)
            for i, item in enumerate(listings)
            if item.point.lat is not None and item.point.lon is not None
        ),
        cell_degrees=0.5,
    )
    return [
        replace(listings[i], distance_km=round(d, 2))
        for i, d in index.nearest(lat, lon, limit, max_km)
    ]


def get_point(db: Database, actor: Actor, point_id: int, *, stale_after_days: int) -> Listing:
    require(actor, Action.VIEW_SERVICES)
    with db.transaction() as session:
        point = ServicePointRepository(session).get(point_id)
        if point is None:
            raise NotFoundError(f"no service point with id {point_id}")
        repo = OrganisationRepository(session)
        organisations = tuple(o for i in point.organisation_ids if (o := repo.get(i)) is not None)
    return Listing(point, organisations, is_stale(point, date.today(), stale_after_days))


def _check(session: UnitOfWork, point: ServicePoint) -> None:
    codes = ReferenceRepository(session).codes(ReferenceCategory.SERVICE_TYPE)
    errors = validate_service_point(point, service_type_exists=codes.__contains__)
    organisations = OrganisationRepository(session)
    for i, organisation_id in enumerate(point.organisation_ids):
        if organisations.get(organisation_id) is None:
            errors.append(
                ValidationError.single(
                    f"organisation_ids[{i}]", f"unknown organisation {organisation_id}"
                ).errors[0]
            )
    if errors:
        raise ValidationError(errors)


def create_point(db: Database, actor: Actor, point: ServicePoint) -> int:
    require(actor, Action.EDIT_SERVICES)
    point = replace(
        point, source=point.source or "manual", verified_by=point.verified_by or actor.username
    )
    with db.transaction() as session:
        _check(session, point)
        return ServicePointRepository(session).add(point)


def update_point(
    db: Database, actor: Actor, point_id: int, point: ServicePoint, expected_version: int | None
) -> None:
    """Replace a point's details; a stale ``expected_version`` is refused (409)."""
    require(actor, Action.EDIT_SERVICES)
    with db.transaction() as session:
        repo = ServicePointRepository(session)
        current = repo.get(point_id)
        if current is None:
            raise NotFoundError(f"no service point with id {point_id}")
        point = replace(point, source=current.source, external_id=current.external_id)
        _check(session, point)
        if not repo.replace(point_id, point, expected_version=expected_version):
            raise ConflictError(
                f"service point {point_id} was changed by someone else (your version "
                f"{expected_version}, stored {current.version})",
                hint="reload the point and apply your change again",
            )


def delete_point(db: Database, actor: Actor, point_id: int) -> None:
    require(actor, Action.EDIT_SERVICES)
    with db.transaction() as session:
        repo = ServicePointRepository(session)
        if repo.get(point_id) is None:
            raise NotFoundError(f"no service point with id {point_id}")
        repo.delete(point_id)


def resolve_place(db: Database, name: str) -> tuple[float, float]:
    """The coordinates of a place of the catalogue or a service point's locality, by any of its
    names or usual spellings (``services/places``); UnknownPlaceError with suggestions."""
    found = places.resolve_place(db, name)
    return found.lat, found.lon
