"""``itinera keys rotate``: a new field key, and every encrypted value re-encrypted under it.

Order of work, so that nothing is ever unreadable: (1) the key file gets the new key *in
front of* the old ones; (2) one transaction re-encrypts every registered column (and
recomputes its blind index); (3) only after the commit are the old keys dropped from the
file. A failure in (2) rolls the database back and leaves a key file that still reads it all;
running the command again finishes the job. Servers reload the key when restarted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from itinera.config import Settings
from itinera.domain.access import SYSTEM, Actor
from itinera.engines.crypto import (
    EncryptedColumn,
    FieldCipher,
    FieldKeyError,
    encrypted_columns,
    generate_key,
    load_cipher,
    read_keys,
    write_key_file,
)
from itinera.engines.crypto import (
    ensure_key_file as create_key_file_if_missing,
)
from itinera.services.accounts import audit
from itinera.storage.accounts.encrypted_values import EncryptedValueRepository
from itinera.storage.database import Database, UnitOfWork

__all__ = ["RotationReport", "ensure_key_file", "field_cipher", "rotate_keys"]

log = logging.getLogger(__name__)


@dataclass
class RotationReport:
    new_key_id: str
    retired_key_ids: list[str]
    values: dict[str, int] = field(default_factory=dict)  # "table.column" -> re-encrypted


def rotate_keys(
    db: Database, settings: Settings, *, actor: Actor = SYSTEM, keep_old: bool = False
) -> RotationReport:
    if settings.field_key is not None:
        raise FieldKeyError(
            "the key comes from ITINERA_FIELD_KEY, which this command cannot rewrite",
            hint="move the key into the key file (ITINERA_KEY_FILE), unset the variable, "
            "and run the rotation again",
        )
    old_keys = read_keys(settings)
    new_key = generate_key()
    write_key_file(settings.key_file, [new_key, *old_keys])
    ring = FieldCipher([new_key, *old_keys])
    report = RotationReport(ring.current_key_id, ring.key_ids[1:])
    with db.transaction() as session:
        for registered in encrypted_columns():
            count = _rotate_column(session, ring, registered)
            report.values[f"{registered.table}.{registered.column}"] = count
        audit.record(
            session,
            actor,
            action="keys.rotate",
            entity="field_key",
            entity_id=ring.current_key_id,
            purpose="security",
            origin="cli",
            detail={"values": sum(report.values.values()), "columns": len(report.values)},
        )
    if not keep_old:
        write_key_file(settings.key_file, [new_key])
    log.info("field key rotated: %d values re-encrypted", sum(report.values.values()))
    return report


def _rotate_column(session: UnitOfWork, ring: FieldCipher, registered: EncryptedColumn) -> int:
    repository = EncryptedValueRepository(session, registered)
    count = 0
    for keys, token in list(repository.tokens()):
        if ring.key_id_of(token) == ring.current_key_id:
            continue
        context = registered.context({**keys, registered.column: token})
        plain = ring.decrypt(token, context=context)
        values = {registered.column: ring.encrypt(plain, context=context)}
        if registered.index_column and registered.index_context:
            values[registered.index_column] = ring.blind_index(
                plain, context=registered.index_context
            )
        repository.replace(keys, values)
        count += 1
    return count


def field_cipher(settings: Settings) -> FieldCipher:
    """The field cipher from ``ITINERA_FIELD_KEY`` or the key file (web and CLI load it here)."""
    return load_cipher(settings)


def ensure_key_file(settings: Settings) -> bool:
    """Create the key file in development and test when no key is configured; True if created."""
    return create_key_file_if_missing(settings)
