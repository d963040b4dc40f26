"""Casework (C7): case records with consent, screening, referrals."""

from __future__ import annotations

from itinera.services.accounts.retention import register_retention_policy
from itinera.services.casework.retention import expired_cases
from itinera.storage.casework.case_repository import register_case_columns

__all__ = ["register"]


def register() -> None:
    """Expired case records for retention, encrypted case columns for key rotation."""
    register_retention_policy("expired-cases", expired_cases)
    register_case_columns()
