"""The Digital Gateway (C9): channels, public intake with tracking codes, the staff queue."""

from __future__ import annotations

from itinera.storage.gateway.channel_repository import register_channel_columns
from itinera.storage.gateway.submission_repository import register_submission_columns

__all__ = ["register"]


def register() -> None:
    """Encrypted gateway columns for key rotation (called by ``bootstrap``)."""
    register_channel_columns()
    register_submission_columns()
