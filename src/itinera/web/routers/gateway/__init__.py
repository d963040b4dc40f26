"""C9 Digital Gateway: the JSON API and the public pages under ``/help``."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.gateway import api, pages, staff_pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(staff_pages.router)
