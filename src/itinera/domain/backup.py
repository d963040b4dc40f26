"""What a backup holds besides the rows: its manifest, and what a restore reports.

A backup is one file: the manifest (schema revisions, row count and checksum of every table,
the fingerprint of the field key, the audit chain's head, when it was made) and every table's
rows. The key itself is never in it (decision 0019).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itinera.domain.errors import ItineraError

__all__ = ["BACKUP_FORMAT", "BackupError", "BackupManifest", "RestoreReport", "TableSummary"]

BACKUP_FORMAT = 1
"""The layout of the file; a restore refuses a format it does not know."""


class BackupError(ItineraError):
    """A backup cannot be made or restored; the message names the file, table or row."""

    code = "backup_error"


@dataclass(frozen=True)
class TableSummary:
    """One table of a backup: its columns in stored order, its rows, their SHA-256."""

    name: str
    columns: tuple[str, ...]
    rows: int
    sha256: str


@dataclass(frozen=True)
class BackupManifest:
    created_at: datetime
    dialect: str
    revisions: tuple[str, ...]
    key_id: str
    audit_head_id: int
    audit_head_hash: str
    tables: tuple[TableSummary, ...]
    checksum: str
    format: int = BACKUP_FORMAT

    @property
    def total_rows(self) -> int:
        return sum(table.rows for table in self.tables)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "created_at": self.created_at.isoformat(),
            "dialect": self.dialect,
            "revisions": list(self.revisions),
            "key_id": self.key_id,
            "audit_head": {"id": self.audit_head_id, "hash": self.audit_head_hash},
            "checksum": self.checksum,
            "tables": [
                {"name": t.name, "columns": list(t.columns), "rows": t.rows, "sha256": t.sha256}
                for t in self.tables
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str) -> BackupManifest:
        """The manifest read back; a missing or mistyped field is named with ``source``."""
        try:
            if data["format"] != BACKUP_FORMAT:
                raise BackupError(
                    f"{source}: backup format {data['format']!r} is not one this version "
                    f"reads ({BACKUP_FORMAT})"
                )
            return cls(
                created_at=datetime.fromisoformat(data["created_at"]),
                dialect=str(data["dialect"]),
                revisions=tuple(str(r) for r in data["revisions"]),
                key_id=str(data["key_id"]),
                audit_head_id=int(data["audit_head"]["id"]),
                audit_head_hash=str(data["audit_head"]["hash"]),
                checksum=str(data["checksum"]),
                tables=tuple(
                    TableSummary(
                        str(t["name"]),
                        tuple(str(c) for c in t["columns"]),
                        int(t["rows"]),
                        str(t["sha256"]),
                    )
                    for t in data["tables"]
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BackupError(
                f"{source}: the manifest is damaged ({type(exc).__name__}: {exc})"
            ) from None


@dataclass(frozen=True)
class RestoreReport:
    manifest: BackupManifest
    rows_restored: int
    key_id: str
    audit_ok: bool
    audit_checked: int
    audit_problem: str | None
