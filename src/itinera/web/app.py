"""The web application factory: ``create_app(settings)``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from itinera import __version__
from itinera.config import Settings
from itinera.storage.database import Database
from itinera.web.errors import install_error_handlers
from itinera.web.routers import (  # C8  # C5  # C5 forms  # C7: casework
    admin,
    admin_pages,
    api_analytics,  # C3
    api_cases,
    api_movements,  # C2
    api_routes,
    api_services_map,
    auth,
    case_edit_pages,
    case_pages,
    movement_pages,  # C2: imports and sources pages
    pages,
    services_edit_pages,
    services_import_pages,
    services_pages,
)
from itinera.web.security import CsrfCookieMiddleware  # C8

__all__ = ["create_app"]

API_DESCRIPTION = """
Itinera's JSON API: the route catalogue (C1) and, as capabilities land, movement data,
analytics, services, screening and referral. Errors always have the shape
`{"error": {"code", "message", "fields": [{"field", "message"}]}}`.
Names are returned in the language chosen by `?lang=` (en, fr, ar) or Accept-Language.
"""


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """Build the app. The database is created here unless given (tests pass their own)."""
    db = database or Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if database is None:
            db.dispose()

    app = FastAPI(
        title="Itinera",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.database = db
    install_error_handlers(app)
    static = resources.files("itinera.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api_routes.router)
    app.include_router(api_movements.router)  # C2 movement data
    app.include_router(movement_pages.router)  # C2: /imports, /imports/{id}, /sources
    app.include_router(api_analytics.router)  # C3 route analytics
    app.include_router(pages.router)
    app.include_router(api_services_map.router)  # C5 service mapping
    app.include_router(services_import_pages.router)  # C5: /services/import
    app.include_router(services_edit_pages.router)  # C5: before /services/points/{id}
    app.include_router(services_pages.router)  # C5: map, directory, complementarity
    app.include_router(auth.router)  # C8: login, logout
    app.include_router(admin.router)  # C8: organisations, users, tokens, audit
    app.include_router(admin_pages.router)  # C8: the audit trail page
    app.include_router(api_cases.router)  # C7: cases, screening, referrals
    app.include_router(case_pages.router)  # C7: caseworker pages
    app.include_router(case_edit_pages.router)  # C7: edit a case, record/withdraw consent
    app.add_middleware(CsrfCookieMiddleware)  # C8: CSRF seed cookie for page forms
    return app
