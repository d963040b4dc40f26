"""``itinera tracing``: run the linkage, export and import PFIF (acting as ``system``); the
requests and review commands act for one organisation (:mod:`itinera.cli.tracing_review`)."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.cli.tracing_review import register_review
from itinera.domain.access import SYSTEM
from itinera.schemas.tracing import OutcomeFiguresOut
from itinera.services.tracing.context import tracing_for
from itinera.services.tracing.matching import DEFAULT_THRESHOLD, run_match
from itinera.services.tracing.outcomes import route_outcomes
from itinera.services.tracing.pfif import export_pfif

__all__ = ["app", "register"]

app = typer.Typer(help="Restoring family links: linkage and exchange.", no_args_is_help=True)


class Backend(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


class Format(StrEnum):
    PFIF = "pfif"


@app.command("match")
def match(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    backend: Annotated[Backend, typer.Option(help="linkage backend")] = Backend.DUCKDB,
    threshold: Annotated[
        float, typer.Option(min=0.001, max=0.999, help="lowest probability kept")
    ] = DEFAULT_THRESHOLD,
    spark_master: Annotated[
        str, typer.Option(help="Spark master URL, e.g. spark://host:7077 (--backend spark)")
    ] = "local[1]",
) -> None:
    """Link every person sought against registrations and other requests."""
    context = get_context(ctx)
    tr = tracing_for(
        context.settings, context.database, backend=backend.value, spark_master=spark_master
    )
    report = run_match(tr, SYSTEM, threshold=threshold)
    if as_json:
        print_json(asdict(report))
        return
    typer.echo(
        f"{report.persons_sought} persons sought, {report.registrations} registrations: "
        f"{report.pairs_scored} pairs at or above {report.threshold}, "
        f"{report.new_candidates} new candidates (model {report.model_version})"
    )


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", help="file to write")],
    format: Annotated[Format, typer.Option("--format", help="exchange format")] = Format.PFIF,
    domain: Annotated[str, typer.Option(help="PFIF record domain")] = "itinera.local",
    author_contact: Annotated[
        bool, typer.Option(help="include the inquirer's e-mail or phone")
    ] = False,
) -> None:
    """Write the persons sought as PFIF 1.4 XML."""
    context = get_context(ctx)
    tr = tracing_for(context.settings, context.database)
    with output.open("wb") as out:
        count = export_pfif(tr, SYSTEM, out, domain=domain, include_author_contact=author_contact)
    typer.echo(f"{count} persons written to {output}")


@app.command("outcomes")
def outcomes(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
) -> None:
    """Outcomes of closed requests per route, anonymised (small counts suppressed)."""
    context = get_context(ctx)
    threshold = context.settings.analytics_suppression_threshold
    figures = route_outcomes(context.database, SYSTEM, threshold)
    shown = OutcomeFiguresOut.of(figures)
    if as_json:
        print_json(shown.model_dump(mode="json"))
        return
    for row in shown.routes:
        cells = ", ".join(f"{name} {_count(n)}" for name, n in row.counts.items() if n != 0)
        typer.echo(f"{row.route_id or '(no route known)'}: {cells or 'none'}")
    typer.echo(f"all routes: {_count(shown.total)} closed requests")
    typer.echo(
        f"counts below {figures.threshold}, and those that would reveal them, are suppressed"
    )


def _count(value: int | None) -> str:
    return "(suppressed)" if value is None else str(value)


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C10) to the ``itinera`` command."""
    register_review(app)
    root.add_typer(app, name="tracing")
