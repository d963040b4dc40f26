"""Figure cells and period cells for the generic readers, reporting through a callback."""

from __future__ import annotations

from collections.abc import Callable

from itinera.domain.observation import Period, parse_period
from itinera.importers.parsing import parse_date, parse_month, parse_number

__all__ = ["TOTAL_CELLS", "Problem", "parse_figure", "parse_figure_period"]

# An admin-area cell reading one of these makes the row the total of the level above it.
TOTAL_CELLS = frozenset({"total", "all", "grand total", "tous", "ensemble"})

Problem = Callable[..., None]
"""``problem(column, message, suggestion=None)`` records an issue for the current row."""


def parse_figure(text: str, column: str, problem: Problem) -> float | None:
    """A non-negative figure; ``None`` for blank or "not available" (unknown, not zero)."""
    try:
        value = parse_number(text)
    except ValueError as error:
        problem(column, str(error), "write a number such as 1234 or 1,234", value=text)
        return None
    if value is not None and value < 0:
        problem(column, f"{text!r} is negative; a figure cannot be below zero", value=text)
        return None
    return value


def parse_figure_period(text: str, problem: Problem, column: str = "period") -> Period | None:
    """A period code (2023-05, 2023-Q2, 2023, 2023-YTD-05, 2023-05-14), a month name
    (``Jan-2014``) or a date in any format ``parse_date`` reads (a day)."""
    if not text:
        problem(column, "the period is blank", "give a date or a period such as 2023-05")
        return None
    try:
        return parse_period(text)
    except ValueError:
        pass
    try:
        return Period.day(parse_date(text))
    except ValueError:
        pass
    try:
        return Period.month(*parse_month(text))
    except ValueError:
        problem(
            column,
            f"{text!r} is not a date or a period",
            "use YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY or YYYY-YTD-MM",
        )
        return None
