"""PFIF 1.4 import of persons and notes from another tracing service, through the import
pipeline (``docs/import-pipeline.md``): reader ``tracing_pfif/pfif`` (bounded, safe, validated
against PFIF 1.4's RELAX NG schema), then one batch in one transaction.

Each person record becomes a tracing request of the importing organisation, its person sought
with names as sent, so that linkage finds it (two services looking for the same person); the
sending service collected its consent to tracing. Nothing local is ever overwritten: a record
of the organisation's own domain is refused, a record received before with the same content
is counted unchanged, one received before with other content is a **conflict**, reported with
its line and id and not applied. Notes are kept with the record they are about, encrypted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itinera.domain.access import Action, Actor
from itinera.domain.case import Purpose
from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue, Severity
from itinera.domain.tracing import Inquirer, NewTracingRequest, SoughtPerson, new_request_number
from itinera.domain.tracing_exchange import PfifNote, PfifPerson, content_digest, home_domain
from itinera.importers.pfif import PfifRead, read_pfif
from itinera.services.imports import FileReader, ImportKind, ImportReport, ImportRequest
from itinera.services.imports.pipeline import run_import
from itinera.services.tracing.context import Tracing
from itinera.storage.tracing.exchange_repository import ExchangeRepository
from itinera.storage.tracing.request_repository import TracingRequestRepository

__all__ = ["PFIF_READER", "import_pfif"]

PFIF_READER = FileReader("tracing_pfif", "pfif", read_pfif, "PFIF 1.4 XML (persons and notes)")


def _issue(report: ImportReport, record: PfifPerson | PfifNote, message: str, hint: str) -> None:
    report.issues.append(
        Issue(
            report.file_name,
            message,
            row=record.line,
            column="person_record_id" if isinstance(record, PfifPerson) else "note_record_id",
            value=record.record_id,  # domain/id: not personal data
            suggestion=hint,
            severity=Severity.WARNING,
        )
    )


def _is_new(
    exchange: ExchangeRepository,
    report: ImportReport,
    record: PfifPerson | PfifNote,
    local_domain: str,
) -> bool:
    """Whether the record is to be added; counts and reports the others."""
    if home_domain(record.record_id) == local_domain.casefold():
        report.counts["conflicts"] += 1
        _issue(
            report,
            record,
            "a record of this organisation's own domain: the local record is kept",
            "records of your domain are edited here, not imported",
        )
        return False
    known = exchange.digest_of(record.record_id)
    if known is None:
        return True
    if known == content_digest(record):
        report.counts["unchanged"] += 1
    else:
        report.counts["conflicts"] += 1
        _issue(
            report,
            record,
            "received before with other content: the copy held here is "
            "kept, nothing was overwritten",
            "compare both and update the record by hand",
        )
    return False


def _sought(person: PfifPerson) -> NewTracingRequest:
    author = Inquirer(person.author_name or "", "", person.author_contact)
    sought = SoughtPerson(
        person.given_name,
        person.family_name,
        person.sex,
        "",
        birth_year=person.birth_year,
        date_of_birth=person.date_of_birth,
        other_spellings=person.other_spellings,
    )
    return NewTracingRequest(author, (sought,), "", (Purpose.TRACING.value,))


def _store(session: Any, read: PfifRead, report: ImportReport, request: ImportRequest) -> None:
    tr: Tracing = request.store_options["tracing"]
    organisation_id = request.actor.organisation_id
    assert organisation_id is not None  # checked by import_pfif
    local_domain = str(request.store_options["domain"])
    exchange = ExchangeRepository(session, tr.cipher)
    requests = TracingRequestRepository(session, tr.cipher)
    report.issues = list(read.issues)
    report.rows_read = read.rows_read
    for person in read.persons:
        if _is_new(exchange, report, person, local_domain):
            request_id = new_request_number()
            requests.insert(
                request_id, organisation_id, _sought(person), created_by="pfif", now=tr.now()
            )
            exchange.add_person(
                person.record_id,
                organisation_id,
                request_id,
                content_digest(person),
                person.source_date,
            )
            report.counts["persons"] += 1
    for note in read.notes:
        if _is_new(exchange, report, note, local_domain):
            about = exchange.request_of(note.person_record_id) if note.person_record_id else None
            exchange.add_note(note, organisation_id, about, content_digest(note))
            report.counts["notes"] += 1
    tr.audit(
        session,
        request.actor,
        action="tracing.import",
        entity="tracing_request",
        entity_id="*",
        purpose=Purpose.TRACING.value,
        detail={"format": "pfif-1.4", **report.counts},
    )


PFIF_IMPORT = ImportKind(
    "tracing_pfif",
    Action.REQUEST_TRACING,
    _store,
    counts=("persons", "notes", "unchanged", "conflicts"),
)


def import_pfif(
    tr: Tracing,
    actor: Actor,
    path: Path,
    *,
    domain: str,
    file_name: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a PFIF 1.4 file for the actor's organisation; ``domain`` is the organisation's
    own PFIF domain (its records are never taken from outside)."""
    if actor.organisation_id is None:
        raise ValidationError.single("organisation", "your account belongs to no organisation")
    request = ImportRequest(
        actor,
        "pfif",
        path,
        file_name=file_name,
        dry_run=dry_run,
        store_options={"tracing": tr, "domain": domain},
    )
    return run_import(tr.db, PFIF_IMPORT, request)
