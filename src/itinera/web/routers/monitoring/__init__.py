"""C11 field monitoring: the JSON API of risk observations and field notes."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.monitoring import analysis_pages, api, pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(analysis_pages.router)
