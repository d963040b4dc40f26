"""C3 route analytics: the JSON API (series, mortality, alerts)."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.analytics import answers, api

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``), in matching order."""
    app.include_router(api.router)
    answers.lead(app)  # new public questions matched first (decision 0039)
