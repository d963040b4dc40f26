"""C6 activities by pillar: the JSON API, the import page, the gap matrix and the monitoring
plan pages, the partners' entry pages and the coordinator's review pages."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.activities import api, entry_pages, import_pages, pages, review_pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
    app.include_router(import_pages.router)
    app.include_router(pages.router)
    app.include_router(review_pages.router)  # /activities/periods before /activities/{id}
    app.include_router(entry_pages.router)
