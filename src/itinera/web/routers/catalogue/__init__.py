"""C1 route catalogue: the JSON API, the dashboard and route pages."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.catalogue import api, pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``), in matching order."""
    app.include_router(api.router)
    app.include_router(pages.router)
