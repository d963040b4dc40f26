"""``itinera report route``: a route report in HTML or PDF (C4)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context
from itinera.domain.access import SYSTEM
from itinera.services.reports.content import ReportRequest
from itinera.services.reports.generation import produce_report

__all__ = ["app", "register"]

app = typer.Typer(help="Route reports in HTML and PDF.", no_args_is_help=True)


@app.command("route")
def route(
    ctx: typer.Context,
    route_id: Annotated[str, typer.Argument(help="route id, e.g. central-mediterranean")],
    first: Annotated[str, typer.Option("--from", help="first month, YYYY-MM")],
    last: Annotated[str, typer.Option("--to", help="last month, YYYY-MM")],
    output: Annotated[Path, typer.Option("--output", help="file to write")],
    lang: Annotated[str, typer.Option("--lang", help="en, fr or ar")] = "en",
    format_: Annotated[str, typer.Option("--format", help="html or pdf")] = "pdf",
    edition: Annotated[
        str, typer.Option("--edition", help="public (suppressed, public entries only) or internal")
    ] = "public",
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="a second period side by side, YYYY-MM..YYYY-MM"),
    ] = None,
) -> None:
    """Write the report of ROUTE for the months --from to --to (the local operator may write
    both editions)."""
    context = get_context(ctx)
    request = ReportRequest(route_id, first, last, lang, edition, format_, compare)
    report = produce_report(context.database, SYSTEM, request, context.settings)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(report.content)
    where = "from the store" if report.from_store else "rendered"
    typer.echo(f"{output} ({len(report.content)} bytes, {where})")


def register(root: typer.Typer) -> None:
    """Add ``itinera report`` (called by ``bootstrap``)."""
    root.add_typer(app, name="report")
