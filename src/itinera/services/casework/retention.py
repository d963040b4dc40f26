"""Retention of case records (C8), plugged into ``itinera retention apply``.

A case untouched since the cutoff (``ITINERA_RETENTION_DAYS``) is erased: its identifying
fields, screening answers and referral reasons are blanked; the non-identifying fields stay
for counts (sex, age group, nationality, arrival, flags). Cases with a referral still open are
kept until it is closed: someone is still working for that person.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from itinera.domain.referral import OPEN_STATUSES
from itinera.services.accounts.retention import (
    RetentionContext,
    RetentionItem,
)
from itinera.services.casework.cases import erase_rows
from itinera.storage.casework.tables import cases, referrals

__all__ = ["expired_cases"]


def expired_cases(session: Session, context: RetentionContext) -> list[RetentionItem]:
    open_referral = (
        select(referrals.c.case_id)
        .where(referrals.c.status.in_([s.value for s in OPEN_STATUSES]))
        .scalar_subquery()
    )
    ids = list(
        session.execute(
            select(cases.c.id)
            .where(cases.c.erased_at.is_(None), cases.c.updated_at < context.cutoff)
            .where(cases.c.id.not_in(open_referral))
            .order_by(cases.c.id)
        ).scalars()
    )
    if not context.dry_run:
        erase_rows(session, ids, context.now)
    return [RetentionItem("case", case_id, "erased") for case_id in ids]
