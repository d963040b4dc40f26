"""``itinera import``, ``itinera sources``, ``itinera export``: movement data (C2)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from itinera.cli.context import get_context, print_json
from itinera.cli.imports import print_issues
from itinera.domain.access import SYSTEM
from itinera.schemas.movements import report_out
from itinera.services import movements
from itinera.services.movements.export import export_incidents, export_observations

__all__ = ["export_app", "import_command", "register", "sources_app"]

sources_app = typer.Typer(
    help="Sources of movement figures and their import batches.", no_args_is_help=True
)
export_app = typer.Typer(help="Export movement figures (HXL, CSV, Parquet).", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def import_command(
    ctx: typer.Context,
    reader: Annotated[
        str, typer.Argument(help="reader: missing-migrants, frontex, unhcr-arrivals, hxl, table …")
    ],
    file: Annotated[Path, typer.Argument(help="the file to import", exists=True, dir_okay=False)],
    source: Annotated[str | None, typer.Option(help="source key (hxl and table files)")] = None,
    mapping: Annotated[Path | None, typer.Option(help="column mapping YAML (table reader)")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="read and check; store nothing")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="reject the whole file on any error")
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Import a publisher's file as one atomic batch; exit 1 when rows were rejected."""
    options: dict[str, Any] = {"mapping": mapping} if mapping else {}
    with _progress(not json_output) as progress:
        report = movements.import_file(
            get_context(ctx).database,
            SYSTEM,
            reader,
            file,
            source=source,
            strict=strict,
            dry_run=dry_run,
            progress=progress,
            **options,
        )
    if json_output:
        print_json(report_out(report).model_dump(mode="json"))
    else:
        _print_report(report)
    if report.rows_rejected or report.status == "rejected":
        raise typer.Exit(1)


class _progress:
    """A progress line on stderr (records read so far), only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn

        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True)
        self.bar.start()
        task = self.bar.add_task("reading", total=None)
        return lambda count: self.bar.update(task, description=f"{count:,} records read")

    def __exit__(self, *_exc: object) -> None:
        if self.enabled:
            self.bar.stop()


def _print_report(report: movements.ImportReport) -> None:
    typer.echo(f"{report.status}: {report.message}")
    if report.status in ("imported", "dry-run"):
        typer.echo(
            f"batch {report.batch_id}: source {report.source} ({report.dataset}"
            f"{', vintage ' + report.vintage if report.vintage else ''})"
        )
    if report.superseded_observations or report.superseded_incidents:
        typer.echo(
            f"superseded from earlier vintages: {report.superseded_observations:,} "
            f"observations, {report.superseded_incidents:,} incidents"
        )
    if report.current_vintage:
        typer.echo(f"older vintage: {report.current_vintage['why']}")
    for name, count in report.unmapped_routes.items():
        typer.echo(
            f"route not in the catalogue (kept, add an alias to map it): {name!r}: {count:,} rows"
        )
    _print_attribution(report.attribution)
    print_issues(report)


def _print_attribution(attribution: dict[str, Any]) -> None:
    """How many figures and incidents (and persons) got their route by each means."""
    for means, tally in attribution.get("figures", {}).items():
        persons = ", ".join(f"{k} {v:,.0f}" for k, v in tally["persons"].items())
        where = "on no route" if means == "none" else f"route by {means}"
        typer.echo(f"figures {where}: {tally['figures']:,}" + (f" ({persons})" if persons else ""))
    for means, tally in attribution.get("incidents", {}).items():
        where = "on no route" if means == "none" else f"route by {means}"
        typer.echo(
            f"incidents {where}: {tally['incidents']:,} "
            f"({tally['dead_and_missing']:,} dead and missing)"
        )


@sources_app.command("list")
def list_sources(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Every source with its number of current figures and of import batches."""
    found = movements.list_sources(get_context(ctx).database, SYSTEM)
    if json_output:
        print_json(found)
        return
    for source in found:
        typer.echo(
            f"{source['key']}  {source['publisher']}  [{source['current_observations']:,} "
            f"current figures; {len(source['batches'])} batches]"
        )


@sources_app.command("show")
def show_source(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="source key")],
    json_output: JsonFlag = False,
) -> None:
    """One source and its import batches (newest first)."""
    source = movements.get_source(get_context(ctx).database, SYSTEM, key)
    if json_output:
        print_json(source)
        return
    typer.echo(f"{source['key']}: {source['publisher']}")
    for batch in source["batches"]:
        b = batch
        typer.echo(
            f"  batch {b['id']}  {b['finished_at']:%Y-%m-%d %H:%M}  {b['reader']}  "
            f"{b['file_name']}  vintage {b['vintage'] or '-'}  {b['rows_read']:,} rows, "
            f"{b['rows_rejected']:,} rejected, {b['issue_count']} issues"
        )


@sources_app.command("reconcile")
def reconcile_command(
    ctx: typer.Context,
    route: Annotated[str | None, typer.Option("--route", help="route id")] = None,
    json_output: JsonFlag = False,
) -> None:
    """What each source revised between vintages, and where related indicators of two
    publishers differ beyond the tolerances of the reference data."""
    only = movements.ObservationFilter(route_id=route)
    found = movements.reconciliation(get_context(ctx).database, SYSTEM, only)
    if json_output:
        print_json(found)
        return
    for pair in found["vintages"]:
        older, newer = pair["older"], pair["newer"]
        typer.echo(
            f"{pair['source']}: vintage {newer['vintage']} (batch {newer['batch_id']}) against "
            f"{older['vintage']} (batch {older['batch_id']}), by {pair['level']}: "
            f"{pair['figures_revised']:,} of {pair['figures_compared']:,} revised, total "
            f"{pair['older_total']:,.0f} -> {pair['newer_total']:,.0f}"
        )
        for r in pair["revisions"][:10]:
            typer.echo(
                f"  {r['indicator']} {r['route_id'] or '(no route)'} {r['country'] or ''} "
                f"{r['period']}: {r['older']:,.0f} -> {r['newer']:,.0f}"
            )
    for c in found["related"]:
        left, right = c["left"], c["right"]
        typer.echo(
            f"{c['name']}: {c['months_beyond_tolerance']} of {c['months_compared']} route-months "
            "beyond tolerance"
        )
        for d in c["differences"][:10]:
            typer.echo(
                f"  {d['route_id']} {d['month']}: {left['source']} {d['left']:,.0f}, "
                f"{right['source']} {d['right']:,.0f}"
            )


@sources_app.command("remove-batch")
def remove_batch_command(
    ctx: typer.Context, batch_id: Annotated[int, typer.Argument(help="import batch id")]
) -> None:
    """Remove one import batch: the figures are back to their state before that import."""
    movements.remove_batch(get_context(ctx).database, SYSTEM, batch_id)
    typer.echo(f"batch {batch_id} removed")


@sources_app.command("reattribute")
def reattribute_command(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="say what would move, change nothing")
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Place again, by the route attribution rules as they stand, the stored figures a rule
    placed (place rules, nearest leg, no route); the publisher's routes and an analyst's
    choices stay. ``itinera init`` does it by itself when the rules changed."""
    db = get_context(ctx).database
    report = movements.reattribute_by_rules(db, SYSTEM, dry_run=dry_run)
    if json_output:
        print_json(report.as_dict())
        return
    typer.echo(movements.describe_reattribution(report))


Format = Annotated[str, typer.Option("--format", help="hxl, csv or parquet")]
Output = Annotated[Path | None, typer.Option("--output", help="file to write (default: stdout)")]


@export_app.command("observations")
def export_observations_command(
    ctx: typer.Context,
    fmt: Format = "csv",
    route: Annotated[str | None, typer.Option("--route", help="route id")] = None,
    indicator: Annotated[str | None, typer.Option(help="indicator code")] = None,
    period_from: Annotated[str | None, typer.Option("--from", help="first month, YYYY-MM")] = None,
    period_to: Annotated[str | None, typer.Option("--to", help="last month, YYYY-MM")] = None,
    source: Annotated[str | None, typer.Option(help="source key")] = None,
    output: Output = None,
) -> None:
    """Current observations (derived monthly figures included) with provenance columns."""
    filters = movements.ObservationFilter(
        indicator=indicator,
        route_id=route,
        source=source,
        period_from=period_from,
        period_to=period_to,
    )
    count = export_observations(
        get_context(ctx).database, SYSTEM, filters, fmt, output or sys.stdout
    )
    if output:
        typer.echo(f"{count:,} observations written to {output}")


@export_app.command("incidents")
def export_incidents_command(
    ctx: typer.Context,
    fmt: Format = "csv",
    route: Annotated[str | None, typer.Option("--route", help="route id")] = None,
    source: Annotated[str | None, typer.Option(help="source key")] = None,
    output: Output = None,
) -> None:
    """Incident records with provenance columns."""
    count = export_incidents(
        get_context(ctx).database, SYSTEM, fmt, output or sys.stdout, source=source, route_id=route
    )
    if output:
        typer.echo(f"{count:,} incidents written to {output}")


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C2) to the ``itinera`` command (called by ``bootstrap``)."""
    root.command("import")(import_command)
    root.add_typer(sources_app, name="sources")
    root.add_typer(export_app, name="export")
