"""The web application factory: ``create_app(settings)`` builds the app without routers;
``bootstrap.build_app`` adds each capability's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.middleware.gzip import GZipMiddleware

from itinera import __version__
from itinera.config import Settings
from itinera.services import jobs
from itinera.services.store import Database, open_database
from itinera.web.api_csrf import ApiCsrfMiddleware
from itinera.web.api_docs import install_api_docs
from itinera.web.errors import install_error_handlers
from itinera.web.headers import SecurityHeadersMiddleware
from itinera.web.limits import BodySizeLimitMiddleware
from itinera.web.security import CsrfCookieMiddleware  # C8
from itinera.web.static_files import HashedStaticFiles

__all__ = ["create_app"]

API_DESCRIPTION = """
Itinera's JSON API: the route catalogue (C1) and, as capabilities land, movement data,
analytics, services, screening and referral. Errors always have the shape
`{"error": {"code", "message", "fields": [{"field", "message"}]}}`.
Names are returned in the language chosen by `?lang=` (en, fr, ar) or Accept-Language.
"""


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """Build the app. The database is created here unless given (tests pass their own)."""
    db = database or open_database(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # This process's jobs worker: it first resumes or fails what a stopped process left
        # running, then runs queued jobs; it leaves when idle and wakes at each submission.
        jobs.start_worker(db, settings, idle_exit=jobs.IDLE_EXIT_SECONDS)
        yield
        jobs.stop_worker(db)
        if database is None:
            db.dispose()

    app = FastAPI(
        title="Itinera",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served from local files by install_api_docs (no CDN)
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.database = db
    install_error_handlers(app)
    install_api_docs(app)
    # browsers ask for it on every first visit; an empty answer keeps their consoles clean
    app.add_api_route("/favicon.ico", lambda: Response(status_code=204), include_in_schema=False)
    static = resources.files("itinera.web") / "static"
    app.add_middleware(ApiCsrfMiddleware)  # the cookie-authenticated JSON API needs the header
    app.mount("/static", HashedStaticFiles(directory=str(static)), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # pages, JSON, shapes: compressed
    app.add_middleware(CsrfCookieMiddleware)  # C8: CSRF seed cookie for page forms
    app.add_middleware(
        BodySizeLimitMiddleware,
        body_limit=settings.max_body_bytes,
        upload_limit=settings.max_upload_bytes,
    )
    app.add_middleware(SecurityHeadersMiddleware, tile_url=settings.tile_url)  # outermost
    return app
