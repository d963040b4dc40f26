"""The one report every import answers, whatever the kind of file (movement data, service
points, and the capabilities to come).

The figures that only one kind has (observations stored, points added …) live in ``counts``
and ``details``; they read as attributes (``report.observations``) and appear as top-level keys
in ``as_dict()``, so that each capability's JSON keeps the keys it always had.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from itinera.domain.issues import Issue, Severity

__all__ = ["ImportReport", "ImportStatus"]


class ImportStatus(StrEnum):
    IMPORTED = "imported"  # stored as a new batch
    UNCHANGED = "unchanged"  # the same file was already imported: nothing changed
    REJECTED = "rejected"  # refused (see ``pipeline.refusal``): nothing was stored
    DRY_RUN = "dry-run"  # read and checked, then rolled back


@dataclass
class ImportReport:
    kind: str  # the reader kind: "movements", "services" …
    reader: str  # the reader's name within its kind: "missing-migrants", "hxl" …
    file_name: str
    file_sha256: str = ""
    status: ImportStatus = ImportStatus.IMPORTED
    strict: bool = False
    source: str = ""
    batch_id: int | None = None
    rows_read: int = 0
    rows_rejected: int = 0
    issues: list[Issue] = field(default_factory=list)
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # the kind's own figures
    details: dict[str, Any] = field(default_factory=dict)  # the kind's own descriptions

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not fields: the kind's own figures and details.
        if not name.startswith("_"):
            for bag in ("counts", "details"):
                found = self.__dict__.get(bag, {})
                if name in found:
                    return found[name]
        raise AttributeError(name)

    @property
    def issue_count(self) -> int:
        return len(self.issues)

    @property
    def errors(self) -> int:
        return sum(1 for issue in self.issues if issue.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.issue_count - self.errors

    @property
    def stored(self) -> bool:
        """Whether this import left a batch in the store (new or already there)."""
        return self.status in (ImportStatus.IMPORTED, ImportStatus.UNCHANGED)

    @property
    def dry_run(self) -> bool:
        return self.status is ImportStatus.DRY_RUN

    def errors_first(self) -> list[Issue]:
        """The issues with every error before the first warning (each group in file order):
        what refused the file is read first."""
        return sorted(self.issues, key=lambda issue: issue.severity is not Severity.ERROR)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the common fields, then the kind's figures and details at the
        top level (the keys each capability has always answered)."""
        return {
            "kind": self.kind,
            "status": self.status.value,
            "message": self.message,
            "reader": self.reader,
            "format": self.reader,
            "file": self.file_name,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            "source": self.source,
            "strict": self.strict,
            "dry_run": self.dry_run,
            "stored": self.stored,
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_rejected": self.rows_rejected,
            **self.counts,
            **self.details,
            "issue_count": self.issue_count,
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [issue.as_dict() for issue in self.issues],
        }
