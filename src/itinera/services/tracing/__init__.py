"""Restoring family links (C10): tracing requests, linkage, review, contact, PFIF exchange."""

from __future__ import annotations

from itinera.services.tracing.match_job import register_match_job
from itinera.storage.tracing.request_repository import register_tracing_columns

__all__ = ["register"]


def register() -> None:
    """Encrypted tracing columns for key rotation; the linkage job; the PFIF reader."""
    from itinera.services.imports.readers import register_reader
    from itinera.services.tracing.exchange import PFIF_READER

    register_tracing_columns()
    register_match_job()
    register_reader(PFIF_READER)
