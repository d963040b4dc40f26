"""C6 activities by pillar: the JSON API and the gap-matrix page."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.activities import api, pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
    app.include_router(pages.router)
