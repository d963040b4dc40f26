"""Import one publisher's file as one atomic batch (C2), through the shared import pipeline.

All of the batch lands or none of it: reading, validation, storage, the monthly figures
derived from incidents and the superseding of an older vintage share one transaction (the
pipeline's). Rows with errors are skipped and listed; ``strict`` rejects the whole file on any
error; ``dry_run`` does everything and then rolls back. Re-importing the same file (same
SHA-256, same reader) changes nothing. A file the reader cannot read (another format, empty,
binary), a file-level error, or a file that yields no figure at all is refused: nothing is
left behind, so the corrected file imports as new.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from itinera.domain.access import Action, Actor
from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue, Severity
from itinera.domain.observation import Incident
from itinera.domain.route_attribution import Attribution, RouteAttributor, RouteMethod
from itinera.importers.base import ImportResult, flatten
from itinera.importers.flat_columns import FlatColumns
from itinera.importers.sniff import format_refusal, guess_reader
from itinera.services.imports import ImportKind, ImportReport, ImportRequest, run_import
from itinera.services.movements.attribution import AttributionTally, load_attributor
from itinera.services.movements.column_rows import column_rows
from itinera.services.movements.derive import derive_attributed
from itinera.services.movements.dictionary import indicator_dictionary
from itinera.services.movements.reattribution import note_rules_of_first_import
from itinera.services.movements.routing import RouteResolver
from itinera.services.movements.storing import RowMaker
from itinera.storage.database import Database
from itinera.storage.movements.movement_repository import (
    CHUNK,
    MovementRepository,
    ObservationBlock,
)

__all__ = ["DETECT", "MOVEMENTS", "ImportReport", "Progress", "import_file"]

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
"""Called with the number of records read so far."""
DETECT = "detect"  # the reader name that asks for the file's type to be detected
MAX_STORED_ISSUES = 5000
DEFER_AFTER = 50_000  # rows stored before deferring index building is considered
COUNTS = (
    "observations",
    "incidents",
    "derived",
    "superseded_observations",
    "superseded_incidents",
)


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
    """Read ``path`` with the named reader and store it as one batch; see the module doc.
    The reader ``detect`` takes the one the file looks made for (``sniff.guess_reader``)."""
    if reader_name == DETECT:
        guessed = guess_reader(path)
        if guessed is None:
            raise ValidationError.single(
                "reader", "the file's type was not recognised: choose the reader that reads it"
            )
        reader_name = guessed
    mapping = options.get("mapping")
    request = ImportRequest(
        actor,
        reader_name,
        path,
        file_name=file_name,
        source=source,
        strict=strict,
        dry_run=dry_run,
        options=options,
        fingerprinted_with=(Path(mapping),) if mapping else (),  # same file, new mapping: new
        progress=progress,
    )
    return run_import(db, MOVEMENTS, request)


def _already_imported(session: Any, report: ImportReport) -> int | None:
    return MovementRepository(session).batch_for_file(report.file_sha256, report.reader)


def _store(session: Any, read: object, report: ImportReport, request: ImportRequest) -> None:
    """The movements store step: one batch of observations, incidents and derived figures."""
    assert isinstance(read, ImportResult), type(read)
    refused = format_refusal(report.reader, request.path)
    if refused is not None:  # the reader's own complaints would only confuse
        reason, hint = refused
        guessed = guess_reader(request.path)
        if guessed and guessed != report.reader:
            hint = f"the file looks made for the reader {guessed}: import it with that reader"
        report.issues = [Issue(report.file_name, reason, suggestion=hint)]
        return
    _run(session, MovementRepository(session), read, report, request, dict(request.options))


MOVEMENTS = ImportKind(
    "movements",
    Action.IMPORT_MOVEMENTS,
    _store,
    already_imported=_already_imported,
    counts=COUNTS,
    details={
        "publisher": "",
        "dataset": "",
        "vintage": None,
        "unmapped_routes": {},
        "current_vintage": None,
        "coverage_end": None,
        "attribution": {},
    },
)


def _run(
    session: Any,
    repo: MovementRepository,
    result: ImportResult,
    report: ImportReport,
    request: ImportRequest,
    options: dict[str, Any],
) -> None:
    dictionary = indicator_dictionary()
    counts, progress = report.counts, request.progress
    info = result.dataset
    report.source = info.source
    report.details.update(publisher=info.publisher, dataset=info.dataset, vintage=info.vintage)
    attributor = load_attributor(session, info.source)
    note_rules_of_first_import(session, attributor)  # before anything is stored (0036)
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
        actor=request.actor.username,
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
        attributor=attributor,
    )
    flat: Iterable[Any] = result.columns or result.flat or map(flatten, result.observations)
    counts["observations"] = _store_observations(repo, maker, flat, progress)
    routed = _store_incidents(
        repo, result, (resolver, attributor, maker.tally), batch_id, source_id, progress
    )
    incidents = [incident for incident, _ in routed]
    counts["incidents"] = len(incidents)
    made = (maker.row(flatten(o), derived=True, found=f) for o, f in derive_attributed(routed))
    derived = [row for row in made if row is not None]
    for start in range(0, len(derived), CHUNK):
        repo.insert_observations(derived[start : start + CHUNK])
    counts["derived"] = len(derived)
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
    stored = counts["observations"] + counts["incidents"] + counts["derived"]
    if not stored and not any(
        i.row is None and i.severity is Severity.ERROR for i in result.issues
    ):
        hint = "check that the reader matches the file and that rows hold figures"
        issues.append(Issue(report.file_name, "the file yields no figure", suggestion=hint))
    report.issues = [*result.issues, *issues]
    report.rows_read = result.rows_read
    report.rows_rejected = result.rows_rejected + rejected
    report.details["unmapped_routes"] = resolver.unmapped()
    report.details["attribution"] = maker.tally.as_dict()
    dated = [i.date for i in incidents if i.date is not None]
    coverage_end = max(dated) if dated else None  # the last incident: the data end there
    report.details["coverage_end"] = coverage_end.isoformat() if coverage_end else None
    if repo.has_other_batches(source_id, batch_id):
        marked = repo.supersede_older(source_id, batch_id)
        newer, own = repo.vintage_standing(source_id, batch_id)
        counts["superseded_observations"] = marked[0] - own[0]  # in older batches
        counts["superseded_incidents"] = marked[1] - own[1]
        if newer:
            report.details["current_vintage"] = _current_vintage(info.vintage, newer, own)
    report.message = (
        f"{report.rows_read:,} rows read, {counts['observations']:,} observations, "
        f"{counts['incidents']:,} incidents, {counts['derived']:,} monthly figures derived, "
        f"{report.rows_rejected:,} rows rejected"
    )
    repo.update_batch(
        batch_id,
        rows_read=report.rows_read,
        rows_rejected=report.rows_rejected,
        observation_count=counts["observations"],
        incident_count=counts["incidents"],
        derived_count=counts["derived"],
        issues=[i.as_dict() for i in report.issues[:MAX_STORED_ISSUES]],
        unmapped_routes=report.details["unmapped_routes"],
        coverage_end=coverage_end,
        attribution=report.details["attribution"],
        finished_at=datetime.now(UTC),
    )


def _current_vintage(
    vintage: str | None, newer: list[tuple[int, str | None]], own: tuple[int, int]
) -> dict[str, Any]:
    """Which batch stays current when an older vintage comes after a newer one, and why."""
    batch, current = newer[0]
    mine = f"vintage {vintage}" if vintage else "no stated vintage"
    why = (
        f"this file ({mine}) is older than batch {batch} (vintage {current or 'none'}), "
        f"which stays current; {own[0]:,} figures and {own[1]:,} incidents of this file are "
        "stored as superseded (kept, queryable, not in current totals)"
    )
    return {
        "batch_id": batch,
        "vintage": current,
        "figures": own[0],
        "incidents": own[1],
        "why": why,
    }


def _store_observations(
    repo: MovementRepository, maker: RowMaker, flat: Iterable[Any], progress: Progress | None
) -> int:
    """Check and store the figures in chunks, in file order; a large batch into a small store
    builds the SQLite indexes once at the end instead of row by row (same transaction)."""
    writer = _ChunkWriter(repo, progress, repo.observation_rows_estimate())
    make, rows = maker.row, writer.rows
    for record in flat:
        if isinstance(record, FlatColumns):  # a chunk of figures, column by column
            writer.read += len(record)
            writer.flush()  # the rows read before it go in first
            block = column_rows(maker, record)
            for start in range(0, len(block), CHUNK):
                writer.write(block.part(start, start + CHUNK))
            continue
        writer.read += 1
        row = make(record)
        if row is not None:
            rows.append(row)
            if len(rows) >= CHUNK:
                writer.flush()
    writer.flush()
    if writer.deferred:  # on a failure the rollback brings the indexes back
        repo.restore_indexes()
    return writer.stored


@dataclass
class _ChunkWriter:
    repo: MovementRepository
    progress: Progress | None
    stored_before: int
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    read: int = 0
    stored: int = 0
    tried: bool = False
    deferred: bool = False

    def flush(self) -> None:
        if self.rows:
            self.write(self.rows)
            self.rows.clear()  # in place: the reader appends to this very list

    def write(self, rows: list[tuple[Any, ...]] | ObservationBlock) -> None:
        self.repo.insert_observations(rows)
        self.stored += len(rows)
        if not self.tried and self.stored >= DEFER_AFTER and self.stored_before < 2 * self.stored:
            self.tried, self.deferred = True, self.repo.defer_indexes()
        if self.progress:
            self.progress(self.read)


def _store_incidents(
    repo: MovementRepository,
    result: ImportResult,
    routing: tuple[RouteResolver, RouteAttributor, AttributionTally],
    batch_id: int,
    source_id: int,
    progress: Progress | None,
) -> list[tuple[Incident, Attribution]]:
    """Store the incidents, each on the route its name, its place or its coordinates give."""
    resolver, attributor, tally = routing
    routed: list[tuple[Incident, Attribution]] = []
    chunk: list[tuple[Incident, str | None, Attribution]] = []
    for incident in result.incidents:
        key, route_id = resolver.resolve(
            incident.route_name, incident.route_id, incident.source_row
        )
        named = Attribution(None, None)
        if route_id is not None:
            by_alias = key is not None and resolver.owners.get(key) == route_id
            named = Attribution(route_id, RouteMethod.ALIAS if by_alias else RouteMethod.PUBLISHER)
        found = Attribution.read_back(
            incident.route_id, incident.route_method, incident.route_distance_km
        ) or attributor.attribute(
            named,
            incident.route_name,
            incident.country,
            incident.location,
            incident.lat,
            incident.lon,
        )
        tally.add_incident(found.method, incident.dead_and_missing)
        routed.append((incident, found))
        chunk.append((incident, key, found))
        if len(chunk) >= CHUNK:
            repo.insert_incidents(chunk, batch_id=batch_id, source_id=source_id)
            chunk = []
            if progress:
                progress(len(routed))
    repo.insert_incidents(chunk, batch_id=batch_id, source_id=source_id)
    return routed
