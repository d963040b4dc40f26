"""Field monitoring (C11): protection-risk observations and field notes."""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    """Plug the survey-export readers into the import pipeline (called by ``bootstrap``)."""
    from itinera.services.imports.readers import register_reader
    from itinera.services.monitoring.importing import READERS

    for reader in READERS:
        register_reader(reader)
