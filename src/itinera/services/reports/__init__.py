"""Route reports (C4): assembled from analytics, service mapping and field monitoring, rendered
to HTML and PDF by ``itinera.reports``, kept by parameters and freshness token."""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    """Nothing to plug in yet; the job queue will register the report job here."""
