"""The shared import pipeline's pure parts: the refusal rules, the report's JSON keys, the one
issues-CSV column order and the reader registry keyed by kind and name."""

from __future__ import annotations

import csv
import io

import pytest

from itinera.domain.errors import ValidationError
from itinera.domain.issues import Issue, Severity
from itinera.services.imports import (
    ISSUE_COLUMNS,
    FileReader,
    ImportReport,
    ImportStatus,
    issues_csv,
    reader_for,
    readers,
    refusal,
    register_reader,
)

ROW_ERROR = Issue("f.csv", "not a number", 4, "Dead", "#affected+dead", "x", "write a number")
FILE_ERROR = Issue("f.csv", "no HXL tag row")
WARNING = Issue("f.csv", "read as Latin-1", severity=Severity.WARNING)


@pytest.mark.parametrize(
    ("issues", "strict", "refuse_file_errors", "refused"),
    [
        ([], True, True, False),
        ([WARNING], True, True, False),  # warnings never refuse
        ([ROW_ERROR], False, True, False),  # a row error skips the row
        ([ROW_ERROR], True, True, True),  # unless strict
        ([FILE_ERROR], False, True, True),  # an error about the whole file refuses it
        ([FILE_ERROR], False, False, False),  # unless the kind records such files
        ([FILE_ERROR], True, False, True),
    ],
)
def test_the_refusal_rules(
    issues: list[Issue], strict: bool, refuse_file_errors: bool, refused: bool
) -> None:
    report = ImportReport("k", "r", "f.csv", strict=strict, issues=issues)
    reason = refusal(report, refuse_file_errors=refuse_file_errors)
    assert (reason is not None) == refused
    if reason is not None:
        assert "nothing was stored" in reason and f"{len(issues)} error(s)" in reason


def test_the_issues_csv_has_one_column_order() -> None:
    assert ISSUE_COLUMNS == (
        "file",
        "row",
        "column",
        "tag",
        "value",
        "severity",
        "message",
        "suggestion",
    )
    # objects and their stored form (as_dict, as kept with a batch) give the same lines
    for issues in ([ROW_ERROR, WARNING], [ROW_ERROR.as_dict(), WARNING.as_dict()]):
        rows = list(csv.reader(io.StringIO(issues_csv(issues))))
        assert rows == [
            list(ISSUE_COLUMNS),
            [
                "f.csv",
                "4",
                "Dead",
                "#affected+dead",
                "x",
                "error",
                "not a number",
                "write a number",
            ],
            ["f.csv", "", "", "", "", "warning", "read as Latin-1", ""],
        ]


def test_the_report_keeps_each_kinds_keys_at_the_top_level() -> None:
    report = ImportReport(
        "services",
        "hxl",
        "list.csv",
        status=ImportStatus.DRY_RUN,
        issues=[WARNING, ROW_ERROR],
        counts={"added": 2},
        details={"non_service": {"Coordination": 3}},
    )
    data = report.as_dict()
    assert (data["added"], data["non_service"], data["file"], data["format"]) == (
        2,
        {"Coordination": 3},
        "list.csv",
        "hxl",
    )
    assert (data["status"], data["dry_run"], data["stored"]) == ("dry-run", True, False)
    assert (data["issue_count"], data["errors"], data["warnings"]) == (2, 1, 1)
    assert report.added == 2 and report.errors_first() == [ROW_ERROR, WARNING]
    with pytest.raises(AttributeError):
        _ = report.observations  # another kind's figure


def test_readers_are_found_by_kind_and_name() -> None:
    def read(path: object, **options: object) -> object:
        return path

    register_reader(FileReader("test-kind", "csv", read, "a test reader"))
    assert reader_for("test-kind", "csv").read is read
    assert list(readers("test-kind")) == ["csv"]
    with pytest.raises(ValidationError) as refused:
        reader_for("other-kind", "csv", field="format")
    assert refused.value.errors[0].field == "format"
