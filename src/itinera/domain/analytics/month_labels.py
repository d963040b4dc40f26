"""Months as a reader says them (issue 12): a chart's axis, a period or an alert shows
"févr. 2024" or "فبراير 2024", never the ``2024-02`` code the series are keyed by."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date

__all__ = ["month_label"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_label(code: str, language: str) -> str:
    """``YYYY-MM`` as the month's short name and year in ``language`` (Babel's ``MMM y``);
    anything else (a category) is returned as it is."""
    found = _MONTH.match(code)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return code
    month = date(int(found.group(1)), int(found.group(2)), 1)
    return format_date(month, "MMM y", locale=language)
