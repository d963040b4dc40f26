"""Demo data for ``itinera init --demo``: the two real service lists of ../shared/data."""

from __future__ import annotations

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.services.services_map.imports import import_services
from itinera.storage.database import Database

__all__ = ["load_services_demo"]

DEMO_FILES = (
    ("hxl-examples-legacy-showcase-2014/unhcr-3w.csv", "hxl", None),
    ("service-points-ifr-poland-2022/spots.derived.csv", "table", "ifr-poland-2022"),
)


def load_services_demo(db: Database, settings: Settings) -> list[str]:
    """Import each list that is present; a second run reports them unchanged."""
    lines: list[str] = []
    for relative, format, mapping in DEMO_FILES:
        path = settings.demo_data_dir / relative
        if not path.is_file():
            lines.append(f"services: {relative} not found in {settings.demo_data_dir}; skipped")
            continue
        report = import_services(db, SYSTEM, path, format=format, mapping=mapping)
        lines.append(
            f"services: {path.name}: {report.added} points added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.rows_rejected} rows rejected"
        )
    return lines
