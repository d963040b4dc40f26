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

__all__ = [
    "DemoLoader",
    "InitReport",
    "StartUpTask",
    "initialise",
    "register_demo_loader",
    "register_start_up_task",
]

log = logging.getLogger(__name__)

DemoLoader = Callable[[Database, Settings], list[str]]
"""Loads one capability's demo data; returns one line per thing loaded."""

_DEMO_LOADERS: list[DemoLoader] = []

StartUpTask = Callable[[Database], str | None]
"""Brings stored data in line with the reference data just loaded; returns a line saying what
it changed, or None when nothing (e.g. figures placed again by changed route rules)."""

_START_UP_TASKS: list[StartUpTask] = []


def register_start_up_task(task: StartUpTask) -> None:
    """Capabilities add what ``itinera init`` runs after the reference data is loaded."""
    if task not in _START_UP_TASKS:
        _START_UP_TASKS.append(task)


def register_demo_loader(loader: DemoLoader) -> None:
    """Capabilities add what ``itinera init --demo`` loads through this one extension point."""
    if loader not in _DEMO_LOADERS:
        _DEMO_LOADERS.append(loader)


@dataclass
class InitReport:
    migrations: list[str]
    reference: LoadReport
    demo: list[str] = field(default_factory=list)
    start_up: list[str] = field(default_factory=list)  # what the start-up tasks changed

    @property
    def changed(self) -> bool:
        return bool(self.migrations) or self.reference.changed or bool(self.start_up)


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
        for task in _START_UP_TASKS:  # after the reference data: what it changed follows
            line = task(db)
            if line:
                report.start_up.append(line)
        if demo:
            for loader in _DEMO_LOADERS:
                report.demo.extend(loader(db, settings))
        log.info("database ready (%d migrations applied)", len(applied))
        return report
    finally:
        if database is None:
            db.dispose()
