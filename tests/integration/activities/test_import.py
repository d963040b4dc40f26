"""Importing 3W files through the one pipeline: every row imported or refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.activities.conftest import FIXTURES, ROWCA, UNHCR_3W

from itinera.domain.access import SYSTEM, Actor, Role
from itinera.domain.errors import PermissionDeniedError
from itinera.services.activities import organisations, reporting
from itinera.services.activities.importing import import_activities, load_mapping
from itinera.services.imports import ISSUE_COLUMNS, ImportStatus, issues_csv
from itinera.storage.database import Database

pytestmark = pytest.mark.shared_data


def test_rowca_3w_every_row_imported_and_re_import_changes_nothing(store: Database) -> None:
    report = import_activities(store, SYSTEM, ROWCA)
    assert report.status is ImportStatus.IMPORTED
    assert (report.rows_read, report.rows_rejected) == (244, 0)
    assert report.figures == 244
    assert report.added == len(reporting.list_activities(store, SYSTEM))
    assert report.pillars == {"3": report.added - 3, "4": 3}  # Education is pillar 4
    assert report.organisations_named == report.organisations_resolved == 11
    again = import_activities(store, SYSTEM, ROWCA)
    assert again.status is ImportStatus.UNCHANGED and again.batch_id == report.batch_id
    assert len(reporting.list_activities(store, SYSTEM)) == report.added


def test_unhcr_3w_accounts_for_every_row_and_resolves_organisations(store: Database) -> None:
    report = import_activities(store, SYSTEM, UNHCR_3W)
    refused = {i.row for i in report.issues if i.severity.value == "error"}
    assert report.rows_read == 2250
    assert report.rows_rejected == len(refused) > 0
    assert report.added + report.rows_rejected == report.rows_read  # no duplicate rows here
    reasons = {i.message for i in report.issues if i.severity.value == "error"}
    assert reasons == {
        "unknown or missing country",
        "the sector is not work with people on the move (no pillar)",
    }
    # aliases and acronyms: spellings that differ only in case or spacing are one organisation
    assert report.organisations_resolved < report.organisations_named
    assert report.merge_suggestions == len(organisations.merge_suggestions(store, SYSTEM)) > 0
    text = issues_csv(report.issues)
    assert text.splitlines()[0] == ",".join(ISSUE_COLUMNS)
    assert len(text.splitlines()) == report.issue_count + 1


def test_a_refused_file_or_a_dry_run_stores_nothing(store: Database) -> None:
    strict = import_activities(
        store, SYSTEM, FIXTURES / "activities-failure-modes.csv", strict=True
    )
    assert strict.status is ImportStatus.REJECTED and strict.batch_id is None
    dry = import_activities(store, SYSTEM, ROWCA, dry_run=True)
    assert dry.status is ImportStatus.DRY_RUN and dry.added == 0 and dry.rows_read == 244
    assert reporting.list_activities(store, SYSTEM) == []
    lenient = import_activities(store, SYSTEM, FIXTURES / "activities-failure-modes.csv")
    assert lenient.status is ImportStatus.IMPORTED
    assert lenient.rows_rejected == 8  # six bad rows, a coordination row, an unknown sector
    assert lenient.rows_read - lenient.rows_rejected == 2


def test_merge_suggestion_confirmed_moves_the_activities(store: Database) -> None:
    import_activities(store, SYSTEM, ROWCA)
    import_activities(store, SYSTEM, UNHCR_3W)
    found = organisations.merge_suggestions(store, SYSTEM)
    pair = next(
        s
        for s in found
        if {s.organisation.name, s.candidate.name} == {"United Nations Children's Fund", "UNICEF"}
    )
    before = reporting.list_activities(store, SYSTEM)
    moved = sum(1 for a in before if a.organisation_id == pair.organisation.id)
    kept = sum(1 for a in before if a.organisation_id == pair.candidate.id)
    partner = Actor("p", frozenset({Role.SERVICE_PROVIDER}), user_id=1, organisation_id=1)
    with pytest.raises(PermissionDeniedError):
        organisations.decide_merge(store, partner, pair.id, merge=True)
    organisations.decide_merge(store, SYSTEM, pair.id, merge=True)
    after = reporting.list_activities(store, SYSTEM)
    assert sum(1 for a in after if a.organisation_id == pair.candidate.id) == moved + kept
    assert all(a.organisation_id != pair.organisation.id for a in after)
    assert pair.id not in {s.id for s in organisations.merge_suggestions(store, SYSTEM)}


def test_an_activityinfo_table_through_the_shipped_mapping(store: Database, tmp_path: Path) -> None:
    table = tmp_path / "activityinfo-export.csv"
    table.write_text(
        "Partner,Donor,Sector,Country Code,Admin 1,Reporting Month,Target,Value,Budget,Currency\n"
        "Alpha Aid,ECHO;DFID,Registration,TUN,Médenine,2025-03,300,120,50000,EUR\n"
        "Alpha Aid,ECHO;DFID,Registration,TUN,Médenine,2025-04,300,90,50000,EUR\n",
        "utf-8",
    )
    report = import_activities(
        store, SYSTEM, table, format="table", mapping=load_mapping(name="activityinfo")
    )
    assert (report.added, report.figures, report.rows_rejected) == (1, 2, 0)
    [activity] = reporting.list_activities(store, SYSTEM)
    assert (activity.pillar, activity.country, activity.budget) == (1, "TUN", 50000)
    assert len(activity.funder_ids) == 2
