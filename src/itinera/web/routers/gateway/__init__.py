"""C9 Digital Gateway: the JSON API and the public pages under ``/help``."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.web.routers.gateway import api, pages, staff_pages

__all__ = ["register"]


# The public hot paths, matched first: Starlette tries routes in order, and behind every other
# capability's ~170 routes matching alone took about 0.8 ms a request (half the article
# page's cost under load). Their paths belong to the gateway only, so no other route changes.
HOT_PATHS = frozenset({"/help/{lang}/articles/{slug}", "/api/gateway/submissions"})


def register(app: FastAPI) -> None:
    """Add this capability's routers to ``app`` (called by ``bootstrap``)."""
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(staff_pages.router)
    hot = [r for r in app.router.routes if getattr(r, "path", None) in HOT_PATHS]
    for route in hot:
        app.router.routes.remove(route)
    app.router.routes[0:0] = hot
