"""The editable sector → service-type table used by 3W/4W imports."""

from __future__ import annotations

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.reference import ReferenceCategory
from itinera.services.services_map.imports import load_sector_table
from itinera.storage.catalogue.reference_repository import ReferenceRepository
from itinera.storage.database import Database
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = ["list_sectors", "set_sector"]


def list_sectors(db: Database, actor: Actor) -> list[dict[str, str | None]]:
    require(actor, Action.VIEW_SERVICES)
    load_sector_table(db)
    with db.transaction() as session:
        rows = ServicePointRepository(session).sectors()
    return [
        {"sector": label, "service_type": code, "origin": origin}
        for label, code, origin in sorted(rows.values(), key=lambda r: r[0].casefold())
    ]


def set_sector(db: Database, actor: Actor, sector: str, service_type: str | None) -> str:
    """Map a sector to a service type (``None``: no service meaning). Kept across reloads."""
    require(actor, Action.EDIT_SERVICES)
    if not sector.strip():
        raise ValidationError.single("sector", "cannot be empty")
    load_sector_table(db)
    with db.transaction() as session:
        if service_type is not None and service_type not in ReferenceRepository(session).codes(
            ReferenceCategory.SERVICE_TYPE
        ):
            raise ValidationError.single("service_type", f"unknown service type {service_type!r}")
        return ServicePointRepository(session).save_sector(sector.strip(), service_type, "user")
