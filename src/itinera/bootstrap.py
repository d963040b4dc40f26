"""The composition root: the one place that wires the capabilities together.

Each capability exposes ``register`` functions, one per layer that has something to plug in:
``services.<capability>.register()`` (readers, demo loaders, retention policies, encrypted
columns), ``web.routers.<capability>.register(app)`` (routers) and
``cli.<capability>.register(app)`` (command groups). Importing any module of Itinera has no
effect; only the functions below fill the registries.
"""

from __future__ import annotations

import logging
import time

import typer
from fastapi import FastAPI

from itinera.config import Settings
from itinera.storage.database import Database

log = logging.getLogger(__name__)

__all__ = [
    "build_app",
    "build_cli",
    "build_server_app",
    "main",
    "register_capabilities",
    "serve_app",
]


def register_capabilities() -> None:
    """Fill the services' registries. Safe to call more than once."""
    from itinera.services import (
        accounts,
        activities,
        casework,
        gateway,
        jobs,
        monitoring,
        movements,
        places,
        reports,
        services_map,
        tracing,
    )

    for capability in (
        jobs,
        movements,
        services_map,
        accounts,
        casework,
        activities,
        monitoring,
        reports,
        tracing,
        gateway,
        places,
    ):
        capability.register()
    # the gateway hands "tracing" submissions (with consent) to the tracing team
    from itinera.services.gateway.handover import register_tracing_handover
    from itinera.services.tracing.gateway_handover import receive_from_gateway

    register_tracing_handover(receive_from_gateway)


def build_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """The web application with every capability's routers (tests pass their own database)."""
    from itinera.web.app import create_app
    from itinera.web.routers import (
        accounts,
        activities,
        analytics,
        casework,
        catalogue,
        gateway,
        home,
        jobs,
        monitoring,
        movements,
        reports,
        services_map,
        tracing,
    )

    register_capabilities()
    app = create_app(settings, database)
    if settings.environment == "production":
        # A malformed or missing key stops the start, not the first read of a case.
        from itinera.services.accounts.keys import field_cipher

        app.state.cipher = field_cipher(settings)
    for capability in (
        reports,  # /api/routes/{id}/report before the catalogue's /api/routes/{id}
        catalogue,
        movements,
        analytics,
        services_map,
        activities,
        accounts,
        casework,
        monitoring,
        tracing,
        gateway,
        jobs,
        home,
    ):
        capability.register(app)
    return app


def build_server_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """The app of a serving process (``itinera serve``): built, then start-up's objects left
    out of the garbage collector's later passes (decision 0037)."""
    from itinera.web.collector import settle_after_start_up

    app = build_app(settings, database)
    _warm_analytics(app.state.database)
    settle_after_start_up()
    return app


def _warm_analytics(database: Database) -> None:
    """The cube's columns read before the first request, and again after each change of the
    figures (``arrays.keep_warm``), frozen with start-up's objects after. A store that cannot
    be read yet (not set up, unreachable) is not this step's to report: the server starts, and
    its requests say what is wrong."""
    from itinera.services.analytics.arrays import keep_warm

    started = time.perf_counter()
    try:
        blocks = keep_warm(database)
    except Exception as error:
        log.warning("analytics columns not read at start-up (%s)", type(error).__name__)
        return
    log.info(
        "analytics: %d blocks of the cube in memory in %.1f s",
        blocks,
        time.perf_counter() - started,
    )


def serve_app() -> FastAPI:
    """The application of one process of ``itinera serve --workers N`` (a uvicorn factory):
    settings from the environment, as the command that started it read them."""
    return build_server_app(Settings())


def build_cli() -> typer.Typer:
    """The ``itinera`` command with every capability's groups."""
    from itinera.cli import (
        accounts,
        activities,
        analytics,
        backup,
        catalogue,
        demo,
        doctor,
        gateway,
        jobs,
        monitoring,
        movements,
        reports,
        screening,
        security,
        services_map,
        tracing,
    )
    from itinera.cli.main import create_cli

    register_capabilities()
    app = create_cli(build_server_app)
    for capability in (
        catalogue,
        analytics,
        movements,
        accounts,
        security,
        services_map,
        activities,
        screening,
        demo,
        doctor,
        tracing,
        reports,
        monitoring,
        gateway,
        jobs,
        backup,
    ):
        capability.register(app)
    return app


def main() -> None:
    """The console script ``itinera``."""
    build_cli()()
