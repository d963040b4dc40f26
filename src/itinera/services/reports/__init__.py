"""Route reports (C4): assembled from analytics, service mapping and field monitoring, rendered
to HTML and PDF by ``itinera.reports``, kept by parameters and freshness token."""

from __future__ import annotations

from itinera.services.reports.report_job import register_report_job

__all__ = ["register"]


def register() -> None:
    """The report job (rendering off the request path)."""
    register_report_job()
