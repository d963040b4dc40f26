"""Searching the case list of one organisation, on non-identifying columns only.

The status is computed in SQL from the screenings and open referrals so that filtering and
paging happen in the database, not in Python over every case.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, select
from sqlalchemy.orm import Session

from itinera.domain.case_list import (
    PAGE_SIZE,
    CaseListItem,
    CaseListPage,
    CaseQuery,
    CaseStatus,
)
from itinera.domain.referral import OPEN_STATUSES
from itinera.storage.casework.tables import case_screenings, cases, referrals

__all__ = ["search_cases"]


def _status_column() -> Any:
    screened = exists().where(case_screenings.c.case_id == cases.c.id)
    referred = exists().where(
        and_(
            referrals.c.case_id == cases.c.id,
            referrals.c.status.in_([s.value for s in OPEN_STATUSES]),
        )
    )
    return case(
        (cases.c.erased_at.is_not(None), CaseStatus.ERASED.value),
        (referred, CaseStatus.REFERRED.value),
        (screened, CaseStatus.SCREENED.value),
        else_=CaseStatus.REGISTERED.value,
    ).label("status")


def search_cases(session: Session, organisation_id: int, query: CaseQuery) -> CaseListPage:
    """One page of the organisation's cases matching ``query``, newest first."""
    status = _status_column()
    inner = select(
        cases.c.id,
        cases.c.flags,
        cases.c.sex,
        cases.c.age_group,
        cases.c.arrival_place,
        cases.c.arrival_date,
        cases.c.route_id,
        cases.c.created_by,
        cases.c.created_at,
        status,
    ).where(cases.c.organisation_id == organisation_id)
    number = query.number.strip().upper()
    if number:
        inner = inner.where(cases.c.id.like(f"%{_escape(number)}%", escape="\\"))
    if query.arrived_from is not None:
        inner = inner.where(cases.c.arrival_date >= query.arrived_from)
    if query.arrived_to is not None:
        inner = inner.where(cases.c.arrival_date <= query.arrived_to)
    if query.route_id:
        inner = inner.where(cases.c.route_id == query.route_id)
    if query.created_by:
        inner = inner.where(cases.c.created_by == query.created_by)
    if query.flag:
        # flags are a JSON list of codes; its text holds each code in quotes on both databases
        pattern = f'%"{_escape(query.flag)}"%'
        inner = inner.where(cast(cases.c.flags, String).like(pattern, escape="\\"))
    listed = inner.subquery()
    where = []
    if query.status is not None:
        where.append(listed.c.status == query.status.value)
    total = session.execute(select(func.count()).select_from(listed).where(*where)).scalar_one()
    rows = session.execute(
        select(listed)
        .where(*where)
        .order_by(listed.c.created_at.desc(), listed.c.id)
        .limit(PAGE_SIZE)
        .offset(query.offset)
    ).mappings()
    items = tuple(
        CaseListItem(
            id=r["id"],
            status=CaseStatus(r["status"]),
            flags=tuple(r["flags"] or ()),
            sex=r["sex"],
            age_group=r["age_group"],
            arrival_place=r["arrival_place"],
            arrival_date=r["arrival_date"],
            route_id=r["route_id"],
            created_by=r["created_by"],
        )
        for r in rows
    )
    return CaseListPage(items, int(total), max(query.page, 1))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
