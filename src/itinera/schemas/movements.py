"""Wire shapes of movement data (C2), shared by the API and the CLI's ``--json``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from itinera.domain.issues import Issue

__all__ = ["ImportReportOut", "IssueOut", "ObservationPage", "RouteChoice", "report_out"]


class IssueOut(BaseModel):
    source: str
    message: str
    row: int | None = None
    column: str | None = None
    tag: str | None = None
    value: str | None = None
    suggestion: str | None = None
    severity: str = "error"


class ImportReportOut(BaseModel):
    """The report of every import (``services.imports.ImportReport``) with the figures of
    movement data."""

    kind: str = "movements"
    status: str
    message: str
    reader: str
    file_name: str
    file_sha256: str
    source: str
    publisher: str
    dataset: str
    vintage: str | None
    batch_id: int | None
    rows_read: int
    rows_rejected: int
    observations: int
    incidents: int
    derived: int
    superseded_observations: int
    superseded_incidents: int
    issue_count: int
    errors: int = 0
    warnings: int = 0
    issues: list[IssueOut]
    unmapped_routes: dict[str, int]
    # An older vintage imported after a newer one: the batch that stays current, and why.
    current_vintage: dict[str, Any] | None = None
    coverage_end: str | None = None  # the last day the file covers (its last incident)
    # Figures and persons by means of route attribution ("none": left on no route).
    attribution: dict[str, Any] = {}


class RouteChoice(BaseModel):
    """An analyst's route for stored figures or incidents (``null``: on no route)."""

    ids: list[int]
    route_id: str | None


class ObservationPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


def issue_out(issue: Issue) -> IssueOut:
    return IssueOut(**{**issue.as_dict(), "severity": issue.severity.value})


def report_out(report: Any, *, max_issues: int = 1000) -> ImportReportOut:
    """The report of ``import_file`` (issues beyond ``max_issues`` are counted, not listed)."""
    fields = {
        name: getattr(report, name) for name in ImportReportOut.model_fields if name != "issues"
    }
    return ImportReportOut(**fields, issues=[issue_out(i) for i in report.issues[:max_issues]])
