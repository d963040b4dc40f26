"""One import pipeline for every kind of file: reader -> collected issues -> batch -> report.

``run_import`` does what every kind shares: the permission check, the file's fingerprint, the
"already imported" answer, one transaction around the kind's store step, the refusal rules and
the dry run. A kind (movement data, service points, and the capabilities to come) brings its
readers (``readers.register_reader``) and an ``ImportKind`` whose ``store`` step turns what its
reader returned into one batch, appending to ``report.issues`` and filling ``report.counts``.

The guarantees: all of a batch lands or none of it (the store step runs inside the one
transaction, which is rolled back on refusal, on a dry run and on any failure); every problem
is collected with file, row and column, never raised one at a time; refusal rules are the same
for every kind (``refusal``).
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.issues import Severity
from itinera.services.imports.readers import reader_for
from itinera.services.imports.report import ImportReport, ImportStatus
from itinera.storage.database import Database

__all__ = ["ImportKind", "ImportRequest", "file_sha256", "refusal", "run_import"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportRequest:
    actor: Actor
    reader: str
    path: Path
    file_name: str | None = None  # the name the user gave (an upload is saved under a temp path)
    source: str | None = None  # the source key the user gave, if any
    strict: bool = False
    dry_run: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)  # handed to the reader
    # Files that change what the import means (a column mapping): part of its fingerprint.
    fingerprinted_with: tuple[Path, ...] = ()
    progress: Callable[[int], None] | None = None  # records read so far (long files)
    store_options: Mapping[str, Any] = field(default_factory=dict)  # for the kind's own steps


StoreStep = Callable[[Any, Any, ImportReport, ImportRequest], None]
"""``store(session, read, report, request)``: store what was read (or checked) as one batch."""
CheckStep = Callable[[Any, object, ImportReport, ImportRequest], Any]
"""``check(session, read, report, request)``: collect the issues before anything is written;
returns what ``store`` stores."""
AlreadyImported = Callable[[Any, ImportReport], int | None]
"""``already_imported(session, report)``: the batch holding this very file, if any."""


@dataclass(frozen=True)
class ImportKind:
    name: str  # the readers' kind: "movements", "services" …
    action: Action  # the permission an import of this kind needs
    store: StoreStep
    already_imported: AlreadyImported | None = None
    # With a check step, a refused file or a dry run stops before the store step (nothing is
    # written); without one (a reader that streams a huge file finds issues while storing),
    # the store step runs and the transaction is rolled back.
    check: CheckStep | None = None
    # An error outside any row (unreadable file, no header) refuses the file even without
    # --strict; movement data records such a file as an empty batch instead, to keep its
    # history of what publishers sent.
    refuse_file_errors: bool = True
    reader_field: str = "reader"  # the input that names the reader, for error messages
    # The kind's own figures (all start at 0) and descriptions (with their defaults): every
    # report of the kind has every key, whether it was imported, unchanged or rejected.
    counts: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


class _Rollback(Exception):
    """Raised inside the transaction to undo it (refusal, dry run)."""


def file_sha256(*paths: Path) -> str:
    """The SHA-256 of a file; of several, the SHA-256 of their digests in order."""
    digests = []
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digests.append(digest.hexdigest())
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha256("".join(digests).encode()).hexdigest()


def refusal(report: ImportReport, *, refuse_file_errors: bool = True) -> str | None:
    """Why the file is refused, or ``None``. The rules every kind shares: an error outside any
    row (when the kind refuses those) or, under ``strict``, any error; warnings never refuse."""
    errors = [i for i in report.issues if i.severity is Severity.ERROR]
    whole_file = [i for i in errors if i.row is None]
    if refuse_file_errors and whole_file:
        return f"file refused: {whole_file[0].message} ({len(errors)} error(s)); nothing was stored"
    if report.strict and errors:
        return f"rejected under --strict: {len(errors)} error(s); nothing was stored"
    return None


def run_import(db: Database, kind: ImportKind, request: ImportRequest) -> ImportReport:
    """Read ``request.path`` with the named reader of ``kind`` and store it as one batch."""
    require(request.actor, kind.action)
    reader = reader_for(kind.name, request.reader, field=kind.reader_field)
    path = request.path
    if not path.is_file():
        raise ValidationError.single("file", f"{path.name} is not a readable file")
    extra = tuple(p for p in request.fingerprinted_with if p.is_file())
    report = ImportReport(
        kind=kind.name,
        reader=request.reader,
        file_name=request.file_name or path.name,
        file_sha256=file_sha256(path, *extra),
        strict=request.strict,
        source=request.source or "",
        counts=dict.fromkeys(kind.counts, 0),
        details=copy.deepcopy(dict(kind.details)),
    )
    try:
        with db.transaction(write=True) as session:
            existing = kind.already_imported(session, report) if kind.already_imported else None
            if existing is not None:  # a dry run too: storing it again would change nothing
                status = ImportStatus.DRY_RUN if request.dry_run else ImportStatus.UNCHANGED
                report.status, report.batch_id = status, existing
                report.message = f"this file was already imported as batch {existing}; nothing " + (
                    "would change (dry run)" if request.dry_run else "changed"
                )
                return report
            read = reader.read(path, source=request.source, **request.options)
            if kind.check is not None:
                read = kind.check(session, read, report, request)
                _stop_if_refused_or_dry(kind, report, request)
            kind.store(session, read, report, request)
            _stop_if_refused_or_dry(kind, report, request)
    except _Rollback:
        pass
    log.info(
        "import %s/%s batch=%s status=%s rows=%d rejected=%d issues=%d",
        kind.name,
        request.reader,
        report.batch_id,
        report.status.value,
        report.rows_read,
        report.rows_rejected,
        report.issue_count,
    )
    return report


def _stop_if_refused_or_dry(kind: ImportKind, report: ImportReport, request: ImportRequest) -> None:
    """Roll the transaction back, with the report's status and message, when the file is
    refused or this is a dry run."""
    reason = refusal(report, refuse_file_errors=kind.refuse_file_errors)
    if reason is not None:
        report.status, report.batch_id, report.message = ImportStatus.REJECTED, None, reason
        raise _Rollback
    if request.dry_run:
        report.status, report.batch_id = ImportStatus.DRY_RUN, None
        report.message = "dry run: nothing was stored"
        raise _Rollback
