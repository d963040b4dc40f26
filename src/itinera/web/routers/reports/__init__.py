"""C4 route reports: the API that answers a report."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.reports import api

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
