"""The case list (C7): what a caseworker searches by, and one page of the answer.

Only non-identifying columns are searched (case number, status, flag, arrival date, route):
names are encrypted field by field and are never searched in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["CaseListItem", "CaseListPage", "CaseQuery", "CaseStatus"]

PAGE_SIZE = 25


class CaseStatus(StrEnum):
    """Where a case stands, read off its screenings and referrals."""

    REGISTERED = "registered"  # not screened yet
    SCREENED = "screened"  # screened, no open referral
    REFERRED = "referred"  # at least one referral still open
    ERASED = "erased"


@dataclass(frozen=True)
class CaseQuery:
    """Filters of the case list; every one left empty matches everything."""

    number: str = ""  # a case number or the start of one, any case
    status: CaseStatus | None = None
    flag: str = ""
    arrived_from: date | None = None
    arrived_to: date | None = None
    route_id: str = ""
    created_by: str = ""  # a username: "my cases"
    page: int = 1

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * PAGE_SIZE


@dataclass(frozen=True)
class CaseListItem:
    id: str
    status: CaseStatus
    flags: tuple[str, ...]
    sex: str
    age_group: str
    arrival_place: str | None
    arrival_date: date | None
    route_id: str | None
    created_by: str


@dataclass(frozen=True)
class CaseListPage:
    items: tuple[CaseListItem, ...]
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))
