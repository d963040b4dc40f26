"""Jobs (issue 10): ``/api/jobs`` and the ``/jobs/{id}`` progress page."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.jobs import api, pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add the jobs routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
    app.include_router(pages.router)
