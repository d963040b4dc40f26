"""``itinera field``: import risk observations from survey exports (C11)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.cli.imports import print_issues
from itinera.domain.access import SYSTEM
from itinera.services.imports import ImportStatus
from itinera.services.monitoring.importing import import_observations

__all__ = ["app", "register"]

app = typer.Typer(help="Field monitoring: risk observations and notes.", no_args_is_help=True)


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="a survey export, CSV or XLSX")],
    reader: Annotated[str, typer.Option("--reader", help="column mapping: 4mi")] = "4mi",
    route: Annotated[
        str | None, typer.Option("--route", help="route of rows that name none")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and report; store nothing")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="store nothing if any row has an error")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Import risk observations; rows with errors are left out and listed."""
    report = import_observations(
        get_context(ctx).database,
        SYSTEM,
        file,
        reader=reader,
        route_id=route,
        strict=strict,
        dry_run=dry_run,
    )
    if json_output:
        print_json(report.as_dict())
    else:
        typer.echo(
            f"{report.file_name} ({report.reader}): {report.rows_read} rows read, "
            f"{report.rows_rejected} rejected; {report.counts['added']} observations "
            f"{'would be ' if dry_run else ''}added; {report.status.value}"
        )
        print_issues(report, err=False, shown=None, indent="  ")
    if report.status is ImportStatus.REJECTED:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    """Add ``itinera field`` (called by ``bootstrap``)."""
    root.add_typer(app, name="field")
