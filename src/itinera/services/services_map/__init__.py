"""Service mapping along routes (C5): registry, imports and exports, gaps, siting."""

from __future__ import annotations

from itinera.services.imports import register_reader
from itinera.services.services_map.demo import load_services_demo
from itinera.services.services_map.import_job import register_services_import_job
from itinera.services.services_map.imports import SERVICE_READERS
from itinera.services.services_map.siting_job import register_siting_job
from itinera.services.setup import register_demo_loader

__all__ = ["register"]


def register() -> None:
    """The service-list readers and the demo service lists (called by ``bootstrap``; safe
    twice)."""
    for reader in SERVICE_READERS:
        register_reader(reader)
    register_demo_loader(load_services_demo)
    register_services_import_job()
    register_siting_job()
