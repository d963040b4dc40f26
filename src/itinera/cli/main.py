"""The ``itinera`` command."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

import typer
from fastapi import FastAPI

from itinera.cli.context import CliContext, get_context, print_json
from itinera.cli.errors import ErrorReportingGroup
from itinera.config import Settings
from itinera.services.setup import initialise
from itinera.services.store import displayable_url

__all__ = ["create_cli", "installed_version"]

AppFactory = Callable[[Settings], FastAPI]


def create_cli(build_app: AppFactory) -> typer.Typer:
    """The ``itinera`` command with ``init`` and ``serve``; ``bootstrap`` adds the groups."""
    app = typer.Typer(
        cls=ErrorReportingGroup,
        help="Itinera: the route-based approach to mixed movements, in software.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    )

    @app.callback()
    def main(
        ctx: typer.Context,
        debug: Annotated[
            bool, typer.Option("--debug", help="show tracebacks and debug logs")
        ] = False,
        version: Annotated[
            bool,
            typer.Option(
                "--version", is_eager=True, callback=_print_version, help="print the version"
            ),
        ] = False,
    ) -> None:
        logging.basicConfig(
            level=logging.DEBUG if debug else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )
        ctx.obj = CliContext(Settings(), debug=debug)
        ctx.call_on_close(ctx.obj.close)

    @app.command()
    def init(
        ctx: typer.Context,
        demo: Annotated[
            bool, typer.Option("--demo", help="also load the public demo data")
        ] = False,
        json_output: Annotated[
            bool, typer.Option("--json", help="print the report as JSON")
        ] = False,
    ) -> None:
        """Create or migrate the database and load the reference catalogue (safe to re-run)."""
        context = get_context(ctx)
        report = initialise(context.settings, demo=demo, database=context.database)
        from itinera.services.accounts.keys import (
            ensure_key_file,  # C8: the field key, dev and test only
        )

        if ensure_key_file(context.settings) and not json_output:
            typer.echo(f"field encryption key created: {context.settings.key_file} (back it up)")
        if json_output:
            print_json(
                {
                    "migrations": report.migrations,
                    "reference": report.reference.as_dict(),
                    "demo": report.demo,
                    "start_up": report.start_up,
                    "changed": report.changed,
                }
            )
            return
        typer.echo(f"database: {_redact(context.settings.database_url)}")
        typer.echo(f"migrations applied: {len(report.migrations)}")
        for kind, counts in report.reference.as_dict().items():
            typer.echo(
                f"{kind}: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
            )
        for line in report.start_up:
            typer.echo(line)
        for line in report.demo:
            typer.echo(f"demo: {line}")
        if not report.changed:
            typer.echo("already up to date: nothing changed")

    @app.command()
    def serve(
        ctx: typer.Context,
        host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
        port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
        workers: Annotated[
            int,
            typer.Option(min=1, max=64, help="server processes (more than 1 needs PostgreSQL)"),
        ] = 1,
    ) -> None:
        """Serve the web pages and the JSON API (each process also runs queued jobs)."""
        import uvicorn

        settings = get_context(ctx).settings
        host, port = host or settings.host, port or settings.port
        workers = workers or settings.workers
        if workers > 1 and settings.is_sqlite:
            typer.echo(SQLITE_ONE_WORKER, err=True)
            raise typer.Exit(2)
        typer.echo(f"Itinera on http://{host}:{port}/ ({workers} process(es); Ctrl+C stops)")
        if workers == 1:
            uvicorn.run(build_app(settings), host=host, port=port, log_level="info")
            return
        # Each process builds its app from the same environment (ITINERA_* settings).
        uvicorn.run(
            "itinera.bootstrap:serve_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
        )

    return app


SQLITE_ONE_WORKER = (
    "--workers above 1 needs PostgreSQL (ITINERA_DATABASE_URL=postgresql+psycopg://...): "
    "SQLite takes one writer at a time and its jobs run in the server's own process. "
    "Serve SQLite with one process."
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"itinera {installed_version()}")
        raise typer.Exit()


def installed_version() -> str:
    """The installed distribution's version; the package's own in a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("itinera")
    except PackageNotFoundError:
        from itinera import __version__

        return __version__


def _redact(url: str) -> str:
    """Never print a database password."""
    return displayable_url(url)
