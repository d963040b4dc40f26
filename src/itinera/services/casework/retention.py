"""Retention of case records (C8), plugged into ``itinera retention apply``.

A case untouched since the cutoff (``ITINERA_RETENTION_DAYS``) is erased: its identifying
fields, screening answers and referral reasons are blanked; the non-identifying fields stay
for counts (sex, age group, nationality, arrival, flags). Cases with a referral still open are
kept until it is closed: someone is still working for that person.
"""

from __future__ import annotations

from itinera.services.accounts.retention import RetentionContext, RetentionItem
from itinera.services.casework.cases import erase_cases
from itinera.storage.casework.referral_repository import expired_case_ids
from itinera.storage.database import UnitOfWork

__all__ = ["expired_cases"]


def expired_cases(session: UnitOfWork, context: RetentionContext) -> list[RetentionItem]:
    ids = expired_case_ids(session, context.cutoff)
    if not context.dry_run:
        erase_cases(session, ids, context.now)
    return [RetentionItem("case", case_id, "erased") for case_id in ids]
