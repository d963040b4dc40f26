"""``itinera backup create FILE``: a consistent copy of the whole store while it serves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.backup import BackupError, BackupManifest, TableSummary
from itinera.services.accounts import audit
from itinera.services.accounts.keys import field_cipher
from itinera.services.backup.archive import BackupWriter, combined_checksum
from itinera.storage.backup import StoreSnapshot
from itinera.storage.backup.snapshot import backed_up_tables
from itinera.storage.database import Database
from itinera.storage.migrate import shipped_heads

__all__ = ["create_backup"]


def create_backup(db: Database, settings: Settings, path: Path) -> BackupManifest:
    """Write every table, read in one snapshot, to ``path``; the key stays where it is (only
    its fingerprint goes into the manifest, so that a restore can check it has the key)."""
    key_id = field_cipher(settings).current_key_id
    writer = BackupWriter(path)
    try:
        with db.transaction() as session:
            snapshot = StoreSnapshot(session)
            expected = tuple(sorted(shipped_heads(db.url)))
            if snapshot.revisions != expected:
                raise BackupError(
                    "the database is not at this version's schema "
                    f"({', '.join(snapshot.revisions) or 'no tables'}): run `itinera init` first"
                )
            head_id, head_hash = snapshot.audit_head()
            summaries = []
            for table in backed_up_tables():
                rows, digest = writer.write_table(table.name, snapshot.rows(table))
                columns = tuple(column.name for column in table.columns)
                summaries.append(TableSummary(table.name, columns, rows, digest))
        manifest = BackupManifest(
            created_at=datetime.now(UTC),
            dialect=snapshot.dialect,
            revisions=snapshot.revisions,
            key_id=key_id,
            audit_head_id=head_id,
            audit_head_hash=head_hash,
            tables=tuple(summaries),
            checksum=combined_checksum((s.name, s.sha256) for s in summaries),
        )
        writer.finish(manifest)
    except BaseException:
        writer.abandon()
        raise
    with db.transaction(write=True) as session:
        audit.record(
            session,
            SYSTEM,
            action="backup.create",
            entity="store",
            entity_id=manifest.checksum[:16],
            origin="cli",
            detail={"rows": manifest.total_rows, "tables": len(summaries)},
        )
    return manifest
