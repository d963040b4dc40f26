"""``itinera doctor``: print what ``services.doctor`` finds; exit 1 when something is wrong."""

from __future__ import annotations

from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.services.doctor import Status, examine

__all__ = ["register"]

_MARKS = {Status.OK: "ok     ", Status.WARNING: "warning", Status.PROBLEM: "PROBLEM"}


def doctor(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="print the findings as JSON")] = False,
) -> None:
    """Check this deployment: database reachable and migrated, field key present and private,
    production settings safe, front-end files present, free disk. Exit 1 if anything is wrong."""
    report = examine(get_context(ctx).settings)
    if json_output:
        print_json(report.as_dict())
    else:
        for finding in report.findings:
            typer.echo(f"{_MARKS[finding.status]} {finding.check}: {finding.message}")
            if finding.fix and finding.status is not Status.OK:
                typer.echo(f"        fix: {finding.fix}")
        typer.echo("healthy" if report.healthy else "something needs fixing (see PROBLEM above)")
    if not report.healthy:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    """Add ``itinera doctor`` to the ``itinera`` command (called by ``bootstrap``)."""
    root.command("doctor")(doctor)
