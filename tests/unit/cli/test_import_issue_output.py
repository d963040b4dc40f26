"""How ``itinera import`` and ``itinera services import`` print issues: a refused file shows
the errors that refused it first (file, row, column, value, fix), then a count of warnings."""

from __future__ import annotations

import pytest

from itinera.cli.imports import SHOWN_ISSUES, print_issues
from itinera.domain.issues import Issue, Severity
from itinera.services.imports import ImportReport, ImportStatus

WARNINGS = [
    Issue("mmp.csv", "survivors left blank", row, "Number of Survivors", severity=Severity.WARNING)
    for row in range(2, 2 + SHOWN_ISSUES + 76)
]
ERROR = Issue("mmp.csv", "not a date", 200, "Incident Date", value="31/02", suggestion="fix it")


def test_a_refusal_prints_its_errors_before_any_warning(capsys: pytest.CaptureFixture[str]) -> None:
    report = ImportReport(
        "movements", "hxl", "mmp.csv", status=ImportStatus.REJECTED, issues=[*WARNINGS, ERROR]
    )
    print_issues(report)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "error: mmp.csv, row 200, column 'Incident Date', value '31/02': not a date (fix it)",
        f"and {len(WARNINGS)} warning(s) (--json lists them)",
    ]


def test_an_import_lists_errors_first_then_counts_what_is_not_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = ImportReport("movements", "hxl", "mmp.csv", issues=[*WARNINGS, ERROR])
    print_issues(report)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("error: mmp.csv, row 200")
    assert all(line.startswith("warning: ") for line in lines[1:SHOWN_ISSUES])
    assert lines[SHOWN_ISSUES:] == [
        f"… {len(WARNINGS) + 1 - SHOWN_ISSUES} more issues (--json lists them)"
    ]
