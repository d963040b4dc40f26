"""The ``itinera`` command."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from itinera.cli import (
    accounts,
    analytics,  # C3 route analytics
    movements,
    routes,
    screening,  # C7 screening rules
    security,
    services_map,  # C5 service mapping
)
from itinera.cli.context import CliContext, get_context, print_json
from itinera.cli.errors import ErrorReportingGroup
from itinera.config import Settings

__all__ = ["app", "run"]

app = typer.Typer(
    cls=ErrorReportingGroup,
    help="Itinera: the route-based approach to mixed movements, in software.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(routes.app, name="routes")
app.add_typer(analytics.app, name="analytics")  # C3
app.command("import")(movements.import_command)  # C2 movement data
app.add_typer(movements.sources_app, name="sources")
app.add_typer(movements.export_app, name="export")
app.add_typer(accounts.orgs, name="orgs")  # C8 accounts
app.add_typer(accounts.users, name="users")
app.add_typer(accounts.tokens, name="tokens")
app.add_typer(security.keys, name="keys")  # C8 key rotation, audit trail, retention
app.add_typer(security.audit, name="audit")
app.add_typer(security.retention, name="retention")
app.add_typer(services_map.app, name="services")  # C5 service mapping
app.add_typer(screening.app, name="screening")  # C7 screening rules


@app.callback()
def main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks and debug logs")] = False,
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
    demo: Annotated[bool, typer.Option("--demo", help="also load the public demo data")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Create or migrate the database and load the reference catalogue (safe to re-run)."""
    from itinera.bootstrap import register_capabilities
    from itinera.services.setup import initialise

    context = get_context(ctx)
    register_capabilities()
    report = initialise(context.settings, demo=demo, database=context.database)
    from itinera.engines.crypto import ensure_key_file  # C8: the field key, dev and test only

    if ensure_key_file(context.settings) and not json_output:
        typer.echo(f"field encryption key created: {context.settings.key_file} (back it up)")
    if json_output:
        print_json(
            {
                "migrations": report.migrations,
                "reference": report.reference.as_dict(),
                "demo": report.demo,
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
    for line in report.demo:
        typer.echo(f"demo: {line}")
    if not report.changed:
        typer.echo("already up to date: nothing changed")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on")] = None,
) -> None:
    """Serve the web pages and the JSON API."""
    import uvicorn

    from itinera.bootstrap import build_app

    settings = get_context(ctx).settings
    host, port = host or settings.host, port or settings.port
    typer.echo(f"Itinera on http://{host}:{port}/ (Ctrl+C stops)")
    uvicorn.run(build_app(settings), host=host, port=port, log_level="info")


def _redact(url: str) -> str:
    """Never print a database password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run() -> None:
    app()
