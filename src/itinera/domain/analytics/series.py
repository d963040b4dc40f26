"""Monthly series: months, roll-ups, month-on-month and year-on-year change, 12-month totals,
top-N breakdowns.

A series maps months to values; a month absent from the mapping has no figure (unknown), which is
not the same as zero. Every derived figure is ``None`` where it cannot be computed honestly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "Change",
    "Month",
    "MonthlySeries",
    "RollUp",
    "change",
    "changes_at",
    "month_on_month",
    "months_between",
    "roll_up",
    "roll_up_at",
    "rolling_12",
    "rolling_12_at",
    "top_n",
    "year_on_year",
]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    year: int
    month: int

    def __hash__(self) -> int:  # months key every series: the generated tuple hash was ~10 %
        return self.year * 12 + self.month

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{text!r} is not a month (YYYY-MM)")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def of_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> Month:
        return Month.of_index(self.index + months)

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.code


MonthlySeries = Mapping[Month, float]


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive (empty when last < first)."""
    return [Month.of_index(i) for i in range(first.index, last.index + 1)]


class RollUp(NamedTuple):
    """A quarter or year: the sum of the months that have a figure, and how many should (a
    named tuple: made per quarter and year of every answer, a frozen dataclass cost more)."""

    period: str  # "2024-Q2" or "2024"
    value: float | None  # None when no month of the period has a figure
    months_present: int
    months_expected: int

    @property
    def complete(self) -> bool:
        return self.months_present == self.months_expected


def roll_up(series: MonthlySeries, months: Iterable[Month], to: str) -> list[RollUp]:
    """Roll ``series`` up to ``"quarter"`` or ``"year"`` over ``months`` (the period asked for).

    An incomplete period keeps the sum of the months present and says so (``complete`` False);
    the expected count is the number of asked months falling in that period."""
    return roll_up_at(_by_index(series), [m.index for m in months], to)


def roll_up_at(values: Mapping[int, float], indexes: Iterable[int], to: str) -> list[RollUp]:
    """``roll_up`` on a series keyed by month index."""
    if to not in ("quarter", "year"):
        raise ValueError(f"cannot roll up to {to!r}: use 'quarter' or 'year'")
    size = 3 if to == "quarter" else 12  # a month index // size numbers its period
    buckets: dict[int, list[int]] = {}
    for index in indexes:
        buckets.setdefault(index // size, []).append(index)
    result = []
    for period, members in buckets.items():
        key = f"{period // 4}-Q{period % 4 + 1}" if size == 3 else str(period)
        present = [values[m] for m in members if m in values]
        result.append(RollUp(key, sum(present) if present else None, len(present), len(members)))
    return result


class Change(NamedTuple):
    """Absolute and relative change against a base; relative is None where the base is 0 (a
    named tuple: two are made per month of every answer)."""

    absolute: float | None
    relative: float | None  # 0.25 means +25 %


def change(current: float | None, base: float | None) -> Change:
    if current is None or base is None:
        return Change(None, None)
    return Change(current - base, (current - base) / base if base != 0 else None)


def _by_index(series: MonthlySeries) -> dict[int, float]:
    # months looked up by their index: no Month made and hashed per look-back (issue 13)
    return {m.index: v for m, v in series.items()}


def changes_at(values: Mapping[int, float], indexes: Iterable[int], lag: int) -> list[Change]:
    """The change at each month index against ``lag`` months before (series keyed by index)."""
    return [change(values.get(i), values.get(i - lag)) for i in indexes]


def rolling_12_at(values: Mapping[int, float], indexes: Iterable[int]) -> list[float | None]:
    """The total of the 12 months ending with each month index; None unless all 12 have a
    figure (series keyed by index)."""
    wanted = list(indexes)
    if not wanted:
        return []
    first = min(wanted) - 11
    known = [values.get(i) for i in range(first, max(wanted) + 1)]  # one look-up per month
    result: list[float | None] = []
    for i in wanted:
        window = known[i - first - 11 : i - first + 1][::-1]  # month i first, as summed before
        result.append(None if None in window else sum(v for v in window if v))
    return result


def month_on_month(series: MonthlySeries, months: Iterable[Month]) -> dict[Month, Change]:
    wanted = list(months)
    return dict(
        zip(wanted, changes_at(_by_index(series), [m.index for m in wanted], 1), strict=True)
    )


def year_on_year(series: MonthlySeries, months: Iterable[Month]) -> dict[Month, Change]:
    wanted = list(months)
    return dict(
        zip(wanted, changes_at(_by_index(series), [m.index for m in wanted], 12), strict=True)
    )


def rolling_12(series: MonthlySeries, months: Iterable[Month]) -> dict[Month, float | None]:
    """The total of the 12 months ending with each month; None unless all 12 have a figure."""
    wanted = list(months)
    return dict(
        zip(wanted, rolling_12_at(_by_index(series), [m.index for m in wanted]), strict=True)
    )


def top_n(breakdown: Mapping[str, float], n: int, other: str = "other") -> list[tuple[str, float]]:
    """The ``n`` largest categories (ties broken by key), then ``other`` summing the rest when
    there is a rest. ``n`` must be at least 1."""
    if n < 1:
        raise ValueError("top_n needs n >= 1")
    ranked = sorted(breakdown.items(), key=lambda kv: (-kv[1], kv[0]))
    head, rest = ranked[:n], ranked[n:]
    if rest:
        head.append((other, sum(v for _, v in rest)))
    return head
