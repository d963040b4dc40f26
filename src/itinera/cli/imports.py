"""How every ``import`` command prints the issues of its report (movement data, service lists
and the kinds to come).

Errors come first, then warnings. A refused file prints the errors that refused it (file, row,
column, value, what is wrong and how to fix it), then only the number of warnings, so that the
reason is never hidden behind a page of warnings.
"""

from __future__ import annotations

import typer

from itinera.domain.issues import Issue, Severity
from itinera.services.imports import ImportReport, ImportStatus

__all__ = ["SHOWN_ISSUES", "issue_line", "print_issues"]

SHOWN_ISSUES = 20


def issue_line(issue: Issue) -> str:
    """``error: file, row 5, column 'dead', value '-1': message (suggestion)``."""
    where = issue.source
    if issue.row is not None:
        where += f", row {issue.row}"
    if issue.column or issue.tag:
        where += f", column {issue.column or issue.tag!r}"
    if issue.value not in (None, ""):
        where += f", value {issue.value!r}"
    text = f"{issue.severity.value}: {where}: {issue.message}"
    return f"{text} ({issue.suggestion})" if issue.suggestion else text


def print_issues(
    report: ImportReport, *, err: bool = True, shown: int | None = SHOWN_ISSUES, indent: str = ""
) -> None:
    """Print the report's issues, errors first (``shown=None``: all of them)."""

    def echo(text: str) -> None:
        typer.echo(indent + text, err=err)

    if report.status is ImportStatus.REJECTED:
        errors = [i for i in report.issues if i.severity is Severity.ERROR]
        for issue in errors[:shown]:
            echo(issue_line(issue))
        if shown is not None and len(errors) > shown:
            echo(f"… {len(errors) - shown:,} more errors (--json lists them)")
        if report.warnings:
            echo(f"and {report.warnings:,} warning(s) (--json lists them)")
        return
    ordered = report.errors_first()
    for issue in ordered[:shown]:
        echo(issue_line(issue))
    if shown is not None and len(ordered) > shown:
        echo(f"… {len(ordered) - shown:,} more issues (--json lists them)")
