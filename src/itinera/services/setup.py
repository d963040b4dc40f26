"""Create or migrate the database and load the reference catalogue (``itinera init``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from itinera.config import Settings
from itinera.reference.catalogue import load_catalogue
from itinera.services.catalogue.loading import LoadReport, load_reference
from itinera.storage.database import Database
from itinera.storage.migrate import upgrade

__all__ = ["DemoLoader", "InitReport", "initialise", "register_demo_loader"]

log = logging.getLogger(__name__)

DemoLoader = Callable[[Database, Settings], list[str]]
"""Loads one capability's demo data; returns one line per thing loaded."""

_DEMO_LOADERS: list[DemoLoader] = []


def register_demo_loader(loader: DemoLoader) -> None:
    """Capabilities add what ``itinera init --demo`` loads through this one extension point."""
    if loader not in _DEMO_LOADERS:
        _DEMO_LOADERS.append(loader)


@dataclass
class InitReport:
    migrations: list[str]
    reference: LoadReport
    demo: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.migrations) or self.reference.changed


def initialise(
    settings: Settings, *, demo: bool = False, database: Database | None = None
) -> InitReport:
    """Migrate, then load the catalogue in one transaction; optionally load demo data."""
    db = database or Database(settings.database_url)
    try:
        applied = upgrade(db)
        catalogue = load_catalogue()
        with db.transaction() as session:
            reference = load_reference(session, catalogue)
        report = InitReport(applied, reference)
        if demo:
            for loader in _DEMO_LOADERS:
                report.demo.extend(loader(db, settings))
        log.info("database ready (%d migrations applied)", len(applied))
        return report
    finally:
        if database is None:
            db.dispose()
