"""Activities by pillar (C6): who does what where along each route, the gap matrix, partner
reporting and the monitoring plan."""

from __future__ import annotations

from itinera.services.activities.importing import ACTIVITY_READERS
from itinera.services.imports import register_reader

__all__ = ["register"]


def register() -> None:
    """The activity readers (called by ``bootstrap``; safe twice)."""
    for reader in ACTIVITY_READERS:
        register_reader(reader)
