"""Import one publisher's file as one atomic batch (C2).

All of the batch lands or none of it: reading, validation, storage, the monthly figures
derived from incidents and the superseding of an older vintage share one transaction. Rows
with errors are skipped and listed; ``strict`` rejects the whole file on any error;
``dry_run`` does everything and then rolls back. Re-importing the same file (same SHA-256,
same reader) changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Incident
from itinera.importers.base import ImportResult, flatten, reader_for
from itinera.services.movements.derive import derive_monthly
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.services.movements.routing import RouteResolver
from itinera.services.movements.storing import RowMaker
from itinera.storage.database import Database
from itinera.storage.movements.movement_repository import CHUNK, MovementRepository

__all__ = ["ImportReport", "Progress", "import_file"]

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
"""Called with the number of records read so far."""
MAX_STORED_ISSUES = 5000
DEFER_AFTER = 50_000  # rows stored before deferring index building is considered


@dataclass
class ImportReport:
    status: str  # imported | unchanged | rejected | dry-run
    reader: str
    file_name: str
    file_sha256: str
    source: str = ""
    publisher: str = ""
    dataset: str = ""
    vintage: str | None = None
    batch_id: int | None = None
    rows_read: int = 0
    rows_rejected: int = 0
    observations: int = 0
    incidents: int = 0
    derived: int = 0
    superseded_observations: int = 0
    superseded_incidents: int = 0
    issue_count: int = 0
    issues: list[Issue] = field(default_factory=list)
    unmapped_routes: dict[str, int] = field(default_factory=dict)
    message: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for issue in self.issues if issue.severity is Severity.ERROR)


class _Rollback(Exception):
    """Raised inside the transaction to undo it (strict rejection, dry run)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    db: Database,
    actor: Actor,
    reader_name: str,
    path: Path,
    *,
    source: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    file_name: str | None = None,
    **options: Any,
) -> ImportReport:
    """Read ``path`` with the named reader and store it as one batch; see the module doc."""
    require(actor, Action.IMPORT_MOVEMENTS)
    try:
        spec = reader_for(reader_name)
    except KeyError as error:
        raise ValidationError.single("reader", str(error.args[0])) from None
    if not path.is_file():
        raise ValidationError.single("file", f"{path} is not a readable file")
    report = ImportReport(
        status="imported",
        reader=reader_name,
        file_name=file_name or path.name,
        file_sha256=file_sha256(path),
    )
    if options.get("mapping") and Path(options["mapping"]).is_file():  # same file, new mapping: new
        both = report.file_sha256 + file_sha256(Path(options["mapping"]))
        report.file_sha256 = hashlib.sha256(both.encode()).hexdigest()
    try:
        with db.transaction() as session:
            repo = MovementRepository(session)
            existing = repo.batch_for_file(report.file_sha256, reader_name)
            if existing is not None and not dry_run:
                report.status, report.batch_id = "unchanged", existing
                report.message = (
                    f"this file was already imported as batch {existing}; nothing changed"
                )
                return report
            _run(
                session,
                repo,
                spec.reader(path, source=source, **options),
                report,
                actor,
                progress,
                options,
            )
            if strict and report.errors:
                report.status = "rejected"
                report.message = (
                    f"rejected under --strict: {report.errors} error(s); nothing was stored"
                )
                raise _Rollback
            if dry_run:
                report.status, report.batch_id = "dry-run", None
                report.message = "dry run: nothing was stored"
                raise _Rollback
    except _Rollback:
        pass
    log.info(
        "import %s batch=%s status=%s rows=%d rejected=%d",
        reader_name,
        report.batch_id,
        report.status,
        report.rows_read,
        report.rows_rejected,
    )
    return report


def _run(
    session: Any,
    repo: MovementRepository,
    result: ImportResult,
    report: ImportReport,
    actor: Actor,
    progress: Progress | None,
    options: dict[str, Any],
) -> None:
    dictionary = indicator_dictionary()
    info = result.dataset
    report.source, report.publisher = info.source, info.publisher
    report.dataset, report.vintage = info.dataset, info.vintage
    source_id = repo.source_id(info.source, info.publisher)
    batch_id = repo.add_batch(
        source_id=source_id,
        reader=report.reader,
        dataset=info.dataset,
        vintage=info.vintage,
        file_name=report.file_name,
        file_sha256=report.file_sha256,
        status="complete",
        rows_read=0,
        rows_rejected=0,
        observation_count=0,
        incident_count=0,
        derived_count=0,
        issues=[],
        unmapped_routes={},
        options={k: str(v) for k, v in options.items()},
        actor=actor.username,
        started_at=datetime.now(UTC),
    )
    report.batch_id = batch_id
    resolver = RouteResolver.load(session)
    maker = RowMaker(
        dictionary,
        resolver,
        report.file_name,
        batch_id=batch_id,
        source_id=source_id,
        date_value=repo.date_value,
    )
    flat = result.flat if result.flat is not None else map(flatten, result.observations)
    report.observations = _store_observations(repo, maker, flat, progress)
    incidents = _store_incidents(repo, result, resolver, batch_id, source_id, progress)
    report.incidents = len(incidents)
    made = (maker.row(flatten(o), derived=True) for o in derive_monthly(incidents))
    derived = [row for row in made if row is not None]
    for start in range(0, len(derived), CHUNK):
        repo.insert_observations(derived[start : start + CHUNK])
    report.derived = len(derived)
    maker.count_unmapped()
    issues = maker.issues
    rejected = len(issues)
    undated = sum(1 for i in incidents if i.date is None)
    if undated:
        issues.append(
            Issue(
                report.file_name,
                f"{undated} incident(s) have no date and are not in the monthly figures",
                severity=Severity.WARNING,
            )
        )
    report.issues = [*result.issues, *issues]
    report.issue_count = len(report.issues)
    report.rows_read = result.rows_read
    report.rows_rejected = result.rows_rejected + rejected
    report.unmapped_routes = resolver.unmapped()
    if repo.has_other_batches(source_id, batch_id):
        marked = repo.supersede_older(source_id, batch_id)
        report.superseded_observations, report.superseded_incidents = marked
    report.message = (
        f"{report.rows_read:,} rows read, {report.observations:,} observations, "
        f"{report.incidents:,} incidents, {report.derived:,} monthly figures derived, "
        f"{report.rows_rejected:,} rows rejected"
    )
    repo.update_batch(
        batch_id,
        rows_read=report.rows_read,
        rows_rejected=report.rows_rejected,
        observation_count=report.observations,
        incident_count=report.incidents,
        derived_count=report.derived,
        issues=[i.as_dict() for i in report.issues[:MAX_STORED_ISSUES]],
        unmapped_routes=report.unmapped_routes,
        finished_at=datetime.now(UTC),
    )


def _store_observations(
    repo: MovementRepository, maker: RowMaker, flat: Iterable[Any], progress: Progress | None
) -> int:
    """Check and store the figures in chunks; a large batch into a small store builds the
    SQLite indexes once at the end instead of row by row (same transaction)."""
    stored_before, stored = repo.observation_rows_estimate(), 0
    tried = deferred = False
    rows: list[tuple[Any, ...]] = []
    make, append = maker.row, rows.append
    for count, record in enumerate(flat, start=1):
        row = make(record)
        if row is None:
            continue
        append(row)
        if len(rows) >= CHUNK:
            repo.insert_observations(rows)
            stored += len(rows)
            rows.clear()
            if not tried and stored >= DEFER_AFTER and stored_before < 2 * stored:
                tried, deferred = True, repo.defer_indexes()
            if progress:
                progress(count)
    repo.insert_observations(rows)
    if deferred:  # on a failure the rollback brings the indexes back
        repo.restore_indexes()
    return stored + len(rows)


def _store_incidents(
    repo: MovementRepository,
    result: ImportResult,
    resolver: RouteResolver,
    batch_id: int,
    source_id: int,
    progress: Progress | None,
) -> list[Incident]:
    incidents: list[Incident] = []
    chunk: list[tuple[Incident, str | None, str | None]] = []
    for incident in result.incidents:
        incidents.append(incident)
        key, route_id = resolver.resolve(
            incident.route_name, incident.route_id, incident.source_row
        )
        chunk.append((incident, key, route_id))
        if len(chunk) >= CHUNK:
            repo.insert_incidents(chunk, batch_id=batch_id, source_id=source_id)
            chunk = []
            if progress:
                progress(len(incidents))
    repo.insert_incidents(chunk, batch_id=batch_id, source_id=source_id)
    return incidents
