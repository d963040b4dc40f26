"""C8 accounts: log-in, administration API and the audit trail page."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.accounts import admin, admin_pages, auth, user_pages

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``), in matching order."""
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(admin_pages.router)
    app.include_router(user_pages.router)
