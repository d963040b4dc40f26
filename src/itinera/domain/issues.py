"""Data problems collected while reading a file (STYLE.md rule 3, after libhxl)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

__all__ = ["Issue", "Severity"]


class Severity(StrEnum):
    ERROR = "error"  # the row (or file) is rejected
    WARNING = "warning"  # the row is kept, with a caveat


@dataclass(frozen=True)
class Issue:
    """One problem: where it is (source, 1-based row, column), what is wrong, how to fix it."""

    source: str
    message: str
    row: int | None = None
    column: str | None = None
    tag: str | None = None
    value: str | None = None
    suggestion: str | None = None
    severity: Severity = Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        text = f"{where}: {self.message}"
        return f"{text} ({self.suggestion})" if self.suggestion else text
