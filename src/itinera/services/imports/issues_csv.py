"""The issues of an import as CSV: one line per problem, the same columns for every kind.

Columns, in this order: ``file, row, column, tag, value, severity, message, suggestion``:
where the problem is (file, 1-based row, the column's header and its HXL tag), what was there,
how bad it is (``error``: the row or file is rejected; ``warning``: kept with a caveat), what is
wrong and how to fix it. An empty cell means "not known" (a file-level problem has no row).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from itinera.domain.issues import Issue
from itinera.domain.spreadsheet_cells import SafeCsvWriter

__all__ = ["ISSUE_COLUMNS", "issues_csv"]

ISSUE_COLUMNS = ("file", "row", "column", "tag", "value", "severity", "message", "suggestion")


def issues_csv(issues: Iterable[Issue | Mapping[str, Any]]) -> str:
    """The issues (objects, or their ``as_dict()`` as stored with a batch) as CSV text."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\n")
    writer.writerow(ISSUE_COLUMNS)
    for issue in issues:
        data = issue.as_dict() if isinstance(issue, Issue) else issue
        cells = {**data, "file": data.get("source")}
        writer.writerow(["" if cells.get(k) is None else str(cells[k]) for k in ISSUE_COLUMNS])
    return buffer.getvalue()
