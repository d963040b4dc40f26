"""What the tracing services need: the database, the field cipher, the audit trail, the name
variant dictionary, the linkage engine and a clock, gathered in one :class:`Tracing`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from itinera.config import Settings
from itinera.engines.crypto import load_cipher
from itinera.engines.linkage import LinkageEngine, SplinkLinkage
from itinera.engines.names import VariantDictionary
from itinera.reference.name_variants import packaged_name_variants
from itinera.services.accounts import audit
from itinera.services.casework.context import AuditRecorder
from itinera.storage.database import Database
from itinera.storage.tracing.request_repository import Cipher

__all__ = ["Tracing", "tracing_for"]


def _now() -> datetime:
    return datetime.now(UTC)


def _dictionary() -> VariantDictionary:
    return VariantDictionary(packaged_name_variants())


@dataclass(frozen=True)
class Tracing:
    db: Database
    cipher: Cipher
    audit: AuditRecorder = audit.record
    engine: LinkageEngine = field(default_factory=SplinkLinkage)
    dictionary: VariantDictionary = field(default_factory=_dictionary)
    now: Callable[[], datetime] = _now


def tracing_for(
    settings: Settings, db: Database, *, backend: str = "duckdb", spark_master: str = "local[1]"
) -> Tracing:
    """The real context; ``backend`` is ``duckdb`` or ``spark`` (same model)."""
    engine = SplinkLinkage(
        backend=backend,
        spark_master=spark_master,
        memory_limit=settings.tracing_linkage_memory_limit,
        threads=settings.tracing_linkage_threads,
    )
    return Tracing(db, load_cipher(settings), engine=engine)
