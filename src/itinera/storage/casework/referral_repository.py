"""Reading and writing referrals and their transitions; free-text reasons are encrypted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from itinera.domain.referral import OPEN_STATUSES, Referral, ReferralStatus, Transition
from itinera.storage.casework.case_repository import Cipher
from itinera.storage.casework.tables import cases, referral_events, referrals

__all__ = ["ReferralRepository", "expired_case_ids"]


class ReferralRepository:
    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        """``cipher`` may be left out for erasure, which only blanks encrypted values."""
        self.session = session
        self._cipher = cipher

    @property
    def cipher(self) -> Cipher:
        if self._cipher is None:
            raise TypeError("this repository was built without a cipher")
        return self._cipher

    def _seal(self, text: str, context: str) -> str | None:
        return self.cipher.encrypt(text, context=context) if text else None

    def _open(self, token: str | None, context: str) -> str:
        return self.cipher.decrypt(token, context=context) if token else ""

    def insert(self, referral: Referral, *, created_by: str) -> None:
        created = referral.history[0].at
        self.session.execute(
            referrals.insert().values(
                id=referral.id,
                case_id=referral.case_id,
                from_organisation_id=referral.from_organisation_id,
                to_organisation_id=referral.to_organisation_id,
                service_point_id=referral.service_point_id,
                pathway=referral.pathway,
                urgency=referral.urgency,
                reason_enc=self._seal(referral.reason, f"referrals.reason:{referral.id}"),
                due_date=referral.due_date,
                shared_fields=list(referral.shared_fields),
                status=referral.status.value,
                version=referral.version,
                created_by=created_by,
                created_at=created,
                updated_at=created,
            )
        )
        for step in referral.history:
            self._add_event(referral.id, step)

    def _add_event(self, referral_id: str, step: Transition) -> None:
        self.session.execute(
            referral_events.insert().values(
                referral_id=referral_id,
                from_status=step.from_status.value if step.from_status else None,
                to_status=step.to_status.value,
                at=step.at,
                by_user=step.by[:64],
                organisation_id=step.organisation_id,
                reason_enc=self._seal(step.reason, f"referral_events.reason:{referral_id}"),
            )
        )

    def save_transition(self, before: Referral, after: Referral) -> bool:
        """Compare-and-set on the version; False when someone moved the referral first."""
        step = after.history[-1]
        result = self.session.execute(
            update(referrals)
            .where(referrals.c.id == before.id, referrals.c.version == before.version)
            .values(status=after.status.value, version=after.version, updated_at=step.at)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        self._add_event(after.id, step)
        return True

    def get(self, referral_id: str, *, with_history: bool = True) -> Referral | None:
        row = (
            self.session.execute(select(referrals).where(referrals.c.id == referral_id))
            .mappings()
            .first()
        )
        if row is None:
            return None
        history: tuple[Transition, ...] = ()
        if with_history:
            events = (
                self.session.execute(
                    select(referral_events)
                    .where(referral_events.c.referral_id == referral_id)
                    .order_by(referral_events.c.id)
                )
                .mappings()
                .all()
            )
            context = f"referral_events.reason:{referral_id}"
            history = tuple(
                Transition(
                    ReferralStatus(e["from_status"]) if e["from_status"] else None,
                    ReferralStatus(e["to_status"]),
                    e["at"],
                    e["by_user"],
                    e["organisation_id"],
                    self._open(e["reason_enc"], context),
                )
                for e in events
            )
        return _referral(
            row, self._open(row["reason_enc"], f"referrals.reason:{referral_id}"), history
        )

    def find(
        self,
        *,
        to_organisation: int | None = None,
        from_organisation: int | None = None,
        either_organisation: int | None = None,
        statuses: Iterable[ReferralStatus] | None = None,
        due_before: date | None = None,
        case_id: str | None = None,
    ) -> list[Referral]:
        """Referrals matching every filter given, most urgent due date first (no free text)."""
        query = select(referrals)
        if to_organisation is not None:
            query = query.where(referrals.c.to_organisation_id == to_organisation)
        if from_organisation is not None:
            query = query.where(referrals.c.from_organisation_id == from_organisation)
        if either_organisation is not None:
            query = query.where(
                or_(
                    referrals.c.to_organisation_id == either_organisation,
                    referrals.c.from_organisation_id == either_organisation,
                )
            )
        if statuses is not None:
            query = query.where(referrals.c.status.in_([s.value for s in statuses]))
        if due_before is not None:
            query = query.where(referrals.c.due_date < due_before)
        if case_id is not None:
            query = query.where(referrals.c.case_id == case_id)
        rows = (
            self.session.execute(query.order_by(referrals.c.due_date, referrals.c.created_at))
            .mappings()
            .all()
        )
        return [_referral(row, "", ()) for row in rows]

    def erase_for_cases(self, case_ids: Sequence[str]) -> None:
        """Blank the free-text reasons of these cases' referrals and of their transitions."""
        if not case_ids:
            return
        referral_ids = (
            select(referrals.c.id).where(referrals.c.case_id.in_(case_ids)).scalar_subquery()
        )
        self.session.execute(
            update(referrals).where(referrals.c.case_id.in_(case_ids)).values(reason_enc=None)
        )
        self.session.execute(
            update(referral_events)
            .where(referral_events.c.referral_id.in_(referral_ids))
            .values(reason_enc=None)
        )


def expired_case_ids(session: Session, cutoff: datetime) -> list[str]:
    """Cases not erased, untouched since ``cutoff``, with no referral still open (someone is
    still working for that person): the ones retention erases."""
    open_referral = (
        select(referrals.c.case_id)
        .where(referrals.c.status.in_([s.value for s in OPEN_STATUSES]))
        .scalar_subquery()
    )
    return list(
        session.execute(
            select(cases.c.id)
            .where(cases.c.erased_at.is_(None), cases.c.updated_at < cutoff)
            .where(cases.c.id.not_in(open_referral))
            .order_by(cases.c.id)
        ).scalars()
    )


def _referral(row: Any, reason: str, history: tuple[Transition, ...]) -> Referral:
    return Referral(
        id=row["id"],
        case_id=row["case_id"],
        from_organisation_id=row["from_organisation_id"],
        to_organisation_id=row["to_organisation_id"],
        pathway=row["pathway"],
        urgency=row["urgency"],
        reason=reason,
        due_date=row["due_date"],
        shared_fields=tuple(row["shared_fields"]),
        status=ReferralStatus(row["status"]),
        service_point_id=row["service_point_id"],
        version=row["version"],
        history=history,
    )
