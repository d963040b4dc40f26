"""Worklists of casework pages (C7): the case list with its filters, referrals sent with
their outcome, and what a caseworker's home shows.

Lists carry no identifying field (names are encrypted and never searched), so listing is
not audited; opening a case or a referral is, by ``cases.get_case`` and
``referrals.get_referral``.
"""

from __future__ import annotations

from collections.abc import Mapping

from itinera.domain.access import Action, Actor, require
from itinera.domain.case_list import PAGE_SIZE, CaseListPage, CaseQuery
from itinera.domain.referral import ReferralStatus
from itinera.domain.referral_view import ReferralSummary
from itinera.domain.worklist import SentReferral
from itinera.reference.vulnerabilities import vulnerability_names
from itinera.services.casework.context import Casework
from itinera.services.casework.referrals import _summary
from itinera.storage.casework.case_search import search_cases
from itinera.storage.casework.referral_repository import ReferralRepository

__all__ = ["flag_names", "list_cases", "new_referrals", "referrals_sent"]

_ANSWERED = (ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.CLOSED)


def list_cases(cw: Casework, actor: Actor, query: CaseQuery) -> CaseListPage:
    """One page of the cases of the actor's organisation that match ``query``."""
    require(actor, Action.VIEW_CASE)
    if actor.organisation_id is None:
        return CaseListPage((), 0, 1)
    with cw.db.transaction() as session:
        return search_cases(session, actor.organisation_id, query)


def referrals_sent(
    cw: Casework, actor: Actor, *, page: int = 1, language: str = "en"
) -> tuple[list[SentReferral], int]:
    """Referrals the actor's organisation sent, newest due date last, with the receiver's
    outcome note; answers one page and the total count."""
    require(actor, Action.REFER_CASE)
    with cw.db.transaction() as session:
        repo = ReferralRepository(session, cw.cipher)
        found = repo.find(from_organisation=actor.organisation_id)
        chosen = found[(max(page, 1) - 1) * PAGE_SIZE :][:PAGE_SIZE]
        listed = []
        for referral in chosen:
            outcome, answered_at = "", None
            if referral.status in _ANSWERED:
                full = repo.get(referral.id)
                last = full.history[-1] if full and full.history else None
                if last is not None:
                    outcome, answered_at = last.reason, last.at
            listed.append(
                SentReferral(_summary(cw, session, referral, language), outcome, answered_at)
            )
        return listed, len(found)


def new_referrals(cw: Casework, actor: Actor, *, language: str = "en") -> list[ReferralSummary]:
    """Referrals received and not yet answered (sent, awaiting acceptance)."""
    require(actor, Action.RECEIVE_REFERRAL)
    with cw.db.transaction() as session:
        found = ReferralRepository(session, cw.cipher).find(
            to_organisation=actor.organisation_id, statuses=[ReferralStatus.SENT]
        )
        return [_summary(cw, session, r, language) for r in found]


def flag_names(language: str) -> Mapping[str, str]:
    """Vulnerability flag code → its name in ``language``, for lists and filters."""
    return vulnerability_names(language)
