"""The home of each role after login: the work waiting for the person who logs in."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.home import pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add the home page (called by ``bootstrap``)."""
    app.include_router(pages.router)
