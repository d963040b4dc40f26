"""``itinera backup restore FILE``: the whole store from a backup, in one transaction, into an
empty database (or over a full one with ``force``), then the audit chain verified."""

from __future__ import annotations

import hashlib
from itertools import islice
from pathlib import Path

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.backup import BackupError, BackupManifest, RestoreReport, TableSummary
from itinera.services.accounts import audit
from itinera.services.accounts.keys import field_cipher
from itinera.services.backup.archive import BackupReader, combined_checksum
from itinera.storage.backup import StoreLoader
from itinera.storage.database import Database
from itinera.storage.migrate import shipped_heads

__all__ = ["restore_backup"]

_BATCH = 1000


def restore_backup(
    db: Database, settings: Settings, path: Path, *, force: bool = False
) -> RestoreReport:
    reader = BackupReader(path)
    try:
        manifest = reader.manifest
        key_id = _check_key(settings, manifest, path)
        _check_revisions(db, manifest, path)
        with db.transaction(write=True) as session:
            loader = StoreLoader(session, db.url)
            occupied = loader.occupied_tables()
            if occupied and not force:
                listed = ", ".join(f"{name}: {n} rows" for name, n in sorted(occupied.items()))
                raise BackupError(
                    f"the database is not empty ({listed}); restore into an empty database, "
                    "or add --force to replace everything in it"
                )
            if force:
                loader.drop_everything()
            loader.create_schema()
            for summary in manifest.tables:
                _load_table(reader, loader, summary)
            _check_tables_covered(loader, manifest, path)
            checksum = combined_checksum((s.name, s.sha256) for s in manifest.tables)
            if checksum != manifest.checksum:
                raise BackupError(f"{path}: the manifest's checksum does not match its tables")
            loader.finish()
    finally:
        reader.close()
    return _verified(db, manifest, key_id)


def _check_key(settings: Settings, manifest: BackupManifest, path: Path) -> str:
    ring = field_cipher(settings)
    if manifest.key_id not in ring.key_ids:
        raise BackupError(
            f"{path}: made under the field key with fingerprint {manifest.key_id}; the key "
            f"configured here has {', '.join(ring.key_ids)}. Configure the key of that time "
            "(ITINERA_FIELD_KEY or the key file, kept apart from backups) and restore again",
            hint="without that key the encrypted personal data in the backup cannot be read",
        )
    return manifest.key_id


def _check_revisions(db: Database, manifest: BackupManifest, path: Path) -> None:
    expected = tuple(sorted(shipped_heads(db.url)))
    if tuple(sorted(manifest.revisions)) != expected:
        raise BackupError(
            f"{path}: made at schema revisions {', '.join(manifest.revisions)}; this version "
            f"of Itinera is at {', '.join(expected)}. Restore with the version that made it, "
            "then run `itinera init` with this one to upgrade"
        )


def _load_table(reader: BackupReader, loader: StoreLoader, summary: TableSummary) -> None:
    where = f"{reader.path}: table {summary.name}"
    table = loader.tables.get(summary.name)
    if table is None:
        raise BackupError(f"{where}: no such table in this schema")
    if set(summary.columns) != {column.name for column in table.columns}:
        raise BackupError(f"{where}: its columns differ from this schema's")
    digest = hashlib.sha256()
    rows = reader.rows(summary.name, digest)
    while batch := list(islice(rows, _BATCH)):
        for row in batch:
            if len(row) != len(summary.columns):
                raise BackupError(f"{where}: a row has {len(row)} values, not the columns' count")
        try:
            loader.insert(summary.name, summary.columns, batch)
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{where}: a value does not fit its column ({exc})") from None
    if digest.hexdigest() != summary.sha256:
        raise BackupError(f"{where}: checksum does not match the manifest (file damaged)")
    if loader.count(summary.name) != summary.rows:
        raise BackupError(
            f"{where}: {loader.count(summary.name)} rows, manifest says {summary.rows}"
        )


def _check_tables_covered(loader: StoreLoader, manifest: BackupManifest, path: Path) -> None:
    missing = set(loader.tables) - {summary.name for summary in manifest.tables}
    if missing:
        raise BackupError(f"{path}: tables missing from the backup: {', '.join(sorted(missing))}")


def _verified(db: Database, manifest: BackupManifest, key_id: str) -> RestoreReport:
    result = audit.verify(db)
    problem = None if result.ok else f"entry {result.first_bad_id}: {result.reason}"
    if result.ok and (result.head_id, result.head_hash) != (
        manifest.audit_head_id,
        manifest.audit_head_hash,
    ):
        problem = (
            f"the chain ends at entry {result.head_id}, the backup's manifest at "
            f"{manifest.audit_head_id}"
        )
    with db.transaction(write=True) as session:
        audit.record(
            session,
            SYSTEM,
            action="backup.restore",
            entity="store",
            entity_id=manifest.checksum[:16],
            origin="cli",
            detail={"rows": manifest.total_rows, "audit_ok": problem is None},
        )
    return RestoreReport(
        manifest, manifest.total_rows, key_id, problem is None, result.checked, problem
    )
