"""Accounts, organisations, tokens, the audit trail, keys and retention (C8)."""

from __future__ import annotations

from itinera.services.accounts.retention import ended_sessions, register_retention_policy
from itinera.services.accounts.users import dummy_hash

__all__ = ["register"]


def register() -> None:
    """Ended sessions are erased by ``itinera retention apply`` (called by ``bootstrap``)."""
    register_retention_policy("ended-sessions", ended_sessions)
    dummy_hash()  # at start-up, so the first refused login takes as long as the others
