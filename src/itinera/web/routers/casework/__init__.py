"""C7 casework: the JSON API, caseworker pages, edit and consent pages, referral pages."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.casework import (
    api,
    edit_pages,
    pages,
    referral_pages,
    rules_api,
    rules_pages,
    worklist_pages,
)

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``), in matching order."""
    app.include_router(api.router)
    app.include_router(worklist_pages.router)  # /cases and /referrals/sent before {id}
    app.include_router(pages.router)
    app.include_router(edit_pages.router)
    app.include_router(referral_pages.router)
    app.include_router(rules_pages.router)  # /admin/screening (issue 12)
    app.include_router(rules_api.router)  # /api/screening/rules/versions (issue 12)
