"""Read and write service points with their offers and operators, sectors, import batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from itinera.domain.service_point import (
    ContactChannel,
    ContactKind,
    PointKind,
    PointStatus,
    Population,
    ServiceOffer,
    ServicePoint,
)
from itinera.storage.accounts.organisation_repository import organisation_key
from itinera.storage.services_map.tables import (
    service_import_batches,
    service_mappings,
    service_offers,
    service_point_organisations,
    service_points,
    service_sectors,
)

__all__ = ["ServicePointRepository"]


class ServicePointRepository:
    """Service-point persistence over one session (the caller owns the transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- points --------------------------------------------------------------------------

    def get(self, point_id: int) -> ServicePoint | None:
        found = self._load(select(service_points).where(service_points.c.id == point_id))
        return found[0] if found else None

    def all(self) -> list[ServicePoint]:
        return self._load(
            select(service_points).order_by(service_points.c.name, service_points.c.id)
        )

    def localities(self) -> list[tuple[str, str | None, float, float]]:
        """Each (locality, country) of the points with coordinates, at their mean position:
        the place names people know besides the catalogue's (services/places/)."""
        sp = service_points
        rows = self.session.execute(
            select(sp.c.locality, sp.c.country, func.avg(sp.c.lat), func.avg(sp.c.lon))
            .where(sp.c.locality.is_not(None), sp.c.lat.is_not(None), sp.c.lon.is_not(None))
            .group_by(sp.c.locality, sp.c.country)
            .order_by(sp.c.locality)
        )
        return [(r[0], r[1], float(r[2]), float(r[3])) for r in rows if r[0].strip()]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(service_points)) or 0)

    def by_external(self, source: str, external_id: str) -> tuple[ServicePoint, str | None] | None:
        query = select(service_points).where(
            (service_points.c.source == source) & (service_points.c.external_id == external_id)
        )
        row = self.session.execute(query).first()
        if row is None:
            return None
        return self._load(select(service_points).where(service_points.c.id == row.id))[
            0
        ], row.fingerprint

    def add(
        self, point: ServicePoint, *, fingerprint: str | None = None, batch_id: int | None = None
    ) -> int:
        result = self.session.execute(
            insert(service_points).values(
                **_values(point), fingerprint=fingerprint, batch_id=batch_id
            )
        )
        point_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        self._write_children(point_id, point)
        return point_id

    def replace(
        self,
        point_id: int,
        point: ServicePoint,
        *,
        expected_version: int | None = None,
        fingerprint: str | None = None,
        batch_id: int | None = None,
    ) -> bool:
        """Overwrite a point; ``False`` when ``expected_version`` is stale."""
        condition = service_points.c.id == point_id
        if expected_version is not None:
            condition = condition & (service_points.c.version == expected_version)
        values = _values(point) | {
            "version": service_points.c.version + 1,
            "updated_at": func.now(),
            "fingerprint": fingerprint,
        }
        if batch_id is not None:
            values["batch_id"] = batch_id
        result = self.session.execute(update(service_points).where(condition).values(values))
        if result.rowcount == 0:  # type: ignore[attr-defined]
            return False
        self.session.execute(delete(service_offers).where(service_offers.c.point_id == point_id))
        self.session.execute(
            delete(service_point_organisations).where(
                service_point_organisations.c.point_id == point_id
            )
        )
        self._write_children(point_id, point)
        return True

    def delete(self, point_id: int) -> None:
        self.session.execute(delete(service_offers).where(service_offers.c.point_id == point_id))
        self.session.execute(
            delete(service_point_organisations).where(
                service_point_organisations.c.point_id == point_id
            )
        )
        self.session.execute(delete(service_points).where(service_points.c.id == point_id))

    def _write_children(self, point_id: int, point: ServicePoint) -> None:
        if point.organisation_ids:
            self.session.execute(
                insert(service_point_organisations),
                [
                    {"point_id": point_id, "organisation_id": o}
                    for o in sorted(set(point.organisation_ids))
                ],
            )
        if point.offers:
            self.session.execute(
                insert(service_offers),
                [
                    {
                        "point_id": point_id,
                        "service_type": o.service_type,
                        "organisation_id": o.organisation_id,
                        "eligibility": o.eligibility,
                        "cost": o.cost,
                        "languages": list(o.languages),
                        "opening_hours": o.opening_hours,
                        "referral_required": o.referral_required,
                    }
                    for o in point.offers
                ],
            )

    def _load(self, query: Any) -> list[ServicePoint]:
        rows = list(self.session.execute(query))
        if not rows:
            return []
        ids = [r.id for r in rows]
        offers: dict[int, list[ServiceOffer]] = defaultdict(list)
        organisations: dict[int, list[int]] = defaultdict(list)
        for chunk in _chunks(ids, 900):
            for o in self.session.execute(
                select(service_offers)
                .where(service_offers.c.point_id.in_(chunk))
                .order_by(service_offers.c.id)
            ):
                offers[o.point_id].append(
                    ServiceOffer(
                        o.service_type,
                        o.eligibility,
                        o.cost,
                        tuple(o.languages or ()),
                        o.opening_hours,
                        bool(o.referral_required),
                        o.organisation_id,
                    )
                )
            for link in self.session.execute(
                select(service_point_organisations).where(
                    service_point_organisations.c.point_id.in_(chunk)
                )
            ):
                organisations[link.point_id].append(link.organisation_id)
        return [_point(r, tuple(sorted(organisations[r.id])), tuple(offers[r.id])) for r in rows]

    # -- sectors -------------------------------------------------------------------------

    def sectors(self) -> dict[str, tuple[str, str | None, str]]:
        """sector key → (label, service type or None, origin)."""
        rows = self.session.execute(select(service_sectors).order_by(service_sectors.c.sector_key))
        return {r.sector_key: (r.sector, r.service_type, r.origin) for r in rows}

    def save_sector(self, sector: str, service_type: str | None, origin: str) -> str:
        """Insert or update one sector; a sector a user set is kept by reference reloads."""
        key = organisation_key(sector)
        row = self.session.execute(
            select(service_sectors).where(service_sectors.c.sector_key == key)
        ).first()
        if row is None:
            self.session.execute(
                insert(service_sectors).values(
                    sector_key=key, sector=sector, service_type=service_type, origin=origin
                )
            )
            return "added"
        if origin == "reference" and row.origin == "user":
            return "kept"
        if row.service_type == service_type and row.origin == origin:
            return "unchanged"
        self.session.execute(
            update(service_sectors)
            .where(service_sectors.c.sector_key == key)
            .values(service_type=service_type, origin=origin, sector=sector)
        )
        return "updated"

    # -- import batches and saved mappings -----------------------------------------------

    def add_batch(self, **values: Any) -> int:
        result = self.session.execute(insert(service_import_batches).values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def set_batch_counts(self, batch_id: int, **values: Any) -> None:
        self.session.execute(
            update(service_import_batches)
            .where(service_import_batches.c.id == batch_id)
            .values(**values)
        )

    def batches(self) -> list[dict[str, Any]]:
        rows = self.session.execute(
            select(service_import_batches).order_by(service_import_batches.c.id.desc())
        )
        return [dict(r._mapping) for r in rows]

    def mapping(self, name: str) -> dict[str, Any] | None:
        row = self.session.execute(
            select(service_mappings).where(service_mappings.c.name == name)
        ).first()
        return dict(row.mapping) if row else None

    def save_mapping(self, name: str, mapping: dict[str, Any]) -> None:
        if self.mapping(name) is None:
            self.session.execute(insert(service_mappings).values(name=name, mapping=mapping))
        else:
            self.session.execute(
                update(service_mappings)
                .where(service_mappings.c.name == name)
                .values(mapping=mapping)
            )


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _values(point: ServicePoint) -> dict[str, Any]:
    return {
        "name": point.name.strip(),
        "kind": point.kind.value,
        "lat": point.lat,
        "lon": point.lon,
        "country": point.country,
        "admin_area": point.admin_area,
        "locality": point.locality,
        "populations": [p.value for p in point.populations],
        "contacts": [
            {"kind": c.kind.value, "value": c.value, "label": c.label} for c in point.contacts
        ],
        "status": point.status.value,
        "status_since": point.status_since,
        "status_until": point.status_until,
        "last_verified": point.last_verified,
        "verified_by": point.verified_by,
        "source": point.source,
        "external_id": point.external_id,
        "notes": point.notes,
        "extra": dict(point.extra),
    }


def _point(
    row: Any, organisation_ids: tuple[int, ...], offers: tuple[ServiceOffer, ...]
) -> ServicePoint:
    return ServicePoint(
        id=row.id,
        name=row.name,
        kind=PointKind(row.kind),
        lat=row.lat,
        lon=row.lon,
        country=row.country,
        admin_area=row.admin_area,
        locality=row.locality,
        organisation_ids=organisation_ids,
        offers=offers,
        populations=tuple(Population(p) for p in row.populations or ()),
        contacts=tuple(
            ContactChannel(ContactKind(c["kind"]), c["value"], c.get("label"))
            for c in row.contacts or ()
        ),
        status=PointStatus(row.status),
        status_since=row.status_since,
        status_until=row.status_until,
        last_verified=row.last_verified,
        verified_by=row.verified_by,
        external_id=row.external_id,
        source=row.source,
        version=row.version,
        notes=row.notes,
        extra=dict(row.extra or {}),
    )
