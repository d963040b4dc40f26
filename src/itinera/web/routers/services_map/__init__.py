"""C5 service mapping: the JSON API, import, edit (before /services/points/{id}) and map pages."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.services_map import api, edit_pages, import_pages, pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``), in matching order."""
    app.include_router(api.router)
    app.include_router(import_pages.router)
    app.include_router(edit_pages.router)
    app.include_router(pages.router)
