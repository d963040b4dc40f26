"""C10 restoring family links: the JSON API and the tracing team's pages."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.tracing import api, intake_pages, pages, request_pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(request_pages.router)  # before intake: /tracing/requests/new
    app.include_router(intake_pages.router)
