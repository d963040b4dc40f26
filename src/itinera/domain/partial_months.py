"""Partial months (C2, C3): a source whose data end inside a month gives that month a figure
of only part of it (an MMP export of 3 May gives May three days). Such a month is marked
partial on series and charts and never raises an early warning: "below the expected range"
would only say that the month is not over in the data.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from itinera.domain.observation import Period

__all__ = ["partial_month", "partial_months"]


def partial_month(coverage_end: date | None) -> Period | None:
    """The month ``coverage_end`` cuts short, or None when it is the month's last day."""
    if coverage_end is None:
        return None
    last_day = calendar.monthrange(coverage_end.year, coverage_end.month)[1]
    if coverage_end.day == last_day:
        return None
    return Period.month(coverage_end.year, coverage_end.month)


def partial_months(coverage_ends: Iterable[date | None]) -> set[str]:
    """The codes (``2026-05``) of the months the sources' coverage ends cut short."""
    months = (partial_month(end) for end in coverage_ends)
    return {month.code for month in months if month is not None}
