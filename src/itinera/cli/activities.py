"""``itinera activities``: who does what where along each route (C6) — import 3W files, the gap
matrix of a route, HXL exports, organisation merges, reporting periods."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.cli.imports import print_issues
from itinera.domain.access import SYSTEM
from itinera.domain.errors import ValidationError
from itinera.domain.monitoring_plan import Target
from itinera.services.activities import (
    exports,
    gaps,
    importing,
    monitoring,
    organisations,
    reporting,
)

__all__ = ["app", "register"]

app = typer.Typer(
    help="Activities by pillar: who does what where, the gap matrix, exports.",
    no_args_is_help=True,
)
organisations_app = typer.Typer(
    help="Organisation names: merge suggestions to confirm or reject.", no_args_is_help=True
)
periods_app = typer.Typer(help="Reporting periods: open, close, list.", no_args_is_help=True)
plan_app = typer.Typer(
    help="The monitoring plan: indicators, targets, progress, XLSX export.", no_args_is_help=True
)
app.add_typer(organisations_app, name="organisations")
app.add_typer(periods_app, name="periods")
app.add_typer(plan_app, name="plan")

JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="HXL 3W/4W CSV/XLSX, or a CSV/XLSX table")],
    format: Annotated[str, typer.Option("--format", help="hxl or table")] = "hxl",
    mapping: Annotated[
        str | None,
        typer.Option("--mapping", help="column mapping of a table: a YAML file or a shipped name"),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="source key (default: the file name)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and report; store nothing")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="store nothing if any row has an error")
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Import an activity file. Re-importing the same file changes nothing."""
    db = get_context(ctx).database
    document = None
    if mapping is not None:
        # The operator's own argument may name a file on this machine; requests never can.
        mapping_file = Path(mapping)
        document = (
            importing.load_mapping(mapping_file.read_bytes())
            if mapping_file.is_file()
            else importing.load_mapping(name=mapping)
        )
    report = importing.import_activities(
        db,
        SYSTEM,
        file,
        format=format,
        mapping=document,
        source=source,
        dry_run=dry_run,
        strict=strict,
    )
    if json_output:
        print_json(report.as_dict())
    else:
        typer.echo(
            f"{report.file_name} ({report.reader}, source {report.source}): {report.message}"
        )
        counts = report.counts
        typer.echo(
            f"  organisations: {counts['organisations_named']} distinct names before resolution, "
            f"{counts['organisations_resolved']} after; {counts['merge_suggestions']} merge "
            "suggestion(s) to confirm (itinera activities organisations suggestions)"
        )
        print_issues(report, err=False, indent="  ")
    if not report.stored and not dry_run:
        raise typer.Exit(1)


@app.command("gaps")
def gap_matrix(
    ctx: typer.Context,
    route: Annotated[str, typer.Argument(help="route id, e.g. central-mediterranean")],
    year: Annotated[int, typer.Option("--year", help="calendar year")],
    csv_output: Annotated[
        bool, typer.Option("--csv", help="one line per country × pillar")
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """The gap matrix of a route: countries in route order × the six pillars."""
    context = get_context(ctx)
    matrix = gaps.gap_matrix(
        context.database,
        SYSTEM,
        route,
        year,
        threshold=context.settings.analytics_suppression_threshold,
    )
    if json_output:
        print_json(matrix)
        return
    if csv_output:
        typer.echo(gaps.gap_matrix_csv(matrix), nl=False)
        return
    typer.echo(f"{route} {year}: organisations / activities per pillar; ! = movement, no actor")
    typer.echo(
        f"{'country':<8}{'role':<13}" + "".join(f"{p:>9}" for p in matrix["pillars"]) + "   moving"
    )
    for row in matrix["countries"]:
        cells = "".join(
            f"{('!' if c['gap'] else '') + str(c['organisations']) + '/' + str(c['activities']):>9}"
            for c in row["pillars"].values()
        )
        moving = row["movement"].get("people_moving")
        shown = "" if moving is None else f"{moving:,.0f}"
        typer.echo(f"{row['country']:<8}{row['role']:<13}{cells}   {shown}")
    typer.echo(f"{matrix['gaps']} cell(s) with movement and no actor")


@app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", help="the file to write")],
    format: Annotated[str, typer.Option("--format", help="hxl")] = "hxl",
    level: Annotated[
        str,
        typer.Option(
            "--level", help="activity (one row per activity and period) or presence (3W:OP)"
        ),
    ] = "activity",
) -> None:
    """Export activities as HXL (activity level, or operational presence 3W:OP)."""
    if format != "hxl":
        raise ValidationError.single("format", f"unknown format {format!r} (known: hxl)")
    db = get_context(ctx).database
    if level == "activity":
        text = exports.export_activities_hxl(db, SYSTEM)
    elif level == "presence":
        text = exports.export_presence_hxl(db, SYSTEM)
    else:
        raise ValidationError.single("level", f"unknown level {level!r} (activity or presence)")
    output.write_text(text, "utf-8")
    typer.echo(f"{output}: {text.count(chr(10)) - 2} rows")


@organisations_app.command("suggestions")
def suggestions(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Pending merge suggestions, closest first."""
    found = organisations.merge_suggestions(get_context(ctx).database, SYSTEM)
    if json_output:
        print_json(
            [
                {
                    "id": s.id,
                    "organisation": s.organisation.name,
                    "candidate": s.candidate.name,
                    "score": s.score,
                }
                for s in found
            ]
        )
        return
    for s in found:
        typer.echo(f"{s.id:>5}  {s.score:5.1f}  {s.organisation.name!r} ~ {s.candidate.name!r}")


@organisations_app.command("merge")
def merge(ctx: typer.Context, suggestion: int) -> None:
    """Confirm a suggestion: the first organisation's activities move to the second."""
    organisations.decide_merge(get_context(ctx).database, SYSTEM, suggestion, merge=True)
    typer.echo(f"suggestion {suggestion}: merged")


@organisations_app.command("reject")
def reject(ctx: typer.Context, suggestion: int) -> None:
    """Reject a suggestion: the two stay distinct organisations."""
    organisations.decide_merge(get_context(ctx).database, SYSTEM, suggestion, merge=False)
    typer.echo(f"suggestion {suggestion}: rejected")


@periods_app.command("open")
def open_period(ctx: typer.Context, period: Annotated[str, typer.Argument(help="YYYY-MM")]) -> None:
    """Open a reporting period: partners may report and edit its figures."""
    reporting.set_period(get_context(ctx).database, SYSTEM, period, open=True)
    typer.echo(f"{period}: open")


@periods_app.command("close")
def close_period(
    ctx: typer.Context, period: Annotated[str, typer.Argument(help="YYYY-MM")]
) -> None:
    """Close a reporting period: its figures change only through a correction with a reason."""
    reporting.set_period(get_context(ctx).database, SYSTEM, period, open=False)
    typer.echo(f"{period}: closed")


@periods_app.command("list")
def list_periods(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Reporting periods and whether each is open."""
    found = reporting.list_periods(get_context(ctx).database, SYSTEM)
    if json_output:
        print_json([{"period": p.period, "open": p.open} for p in found])
        return
    for p in found:
        typer.echo(f"{p.period}  {'open' if p.open else 'closed'}")


@periods_app.command("reminders")
def period_reminders(
    ctx: typer.Context, period: Annotated[str, typer.Argument(help="YYYY-MM")]
) -> None:
    """Organisations that have not reported in an open period (to remind)."""
    found = reporting.reminders(get_context(ctx).database, SYSTEM, period)
    for organisation in found:
        typer.echo(f"{organisation.id:>6}  {organisation.name}")
    typer.echo(f"{len(found)} organisation(s) to remind for {period}")


@app.command("reminders")
def reminders(
    ctx: typer.Context,
    send: Annotated[bool, typer.Option("--send", help="e-mail the reminders")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Partners with an activity running in an open period and no report for it."""
    if send:  # the registry keeps no partner e-mail address to send to (decision 0025)
        typer.echo("reminders are listed, not sent: organisations have no e-mail address", err=True)
        raise typer.Exit(2)
    due = reporting.reminders_due(get_context(ctx).database, SYSTEM)
    if json_output:
        print_json({p: [{"id": o.id, "name": o.name} for o in found] for p, found in due.items()})
        return
    for period, found in due.items():
        for organisation in found:
            typer.echo(f"{period}  {organisation.id:>6}  {organisation.name}")
    typer.echo(f"{sum(len(f) for f in due.values())} reminder(s) in {len(due)} open period(s)")


@plan_app.command("list")
def plan_list(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """The plan's indicators by pillar."""
    found = monitoring.list_indicators(get_context(ctx).database, SYSTEM)
    if json_output:
        print_json([{"code": i.code, "pillar": i.pillar, "name": i.name} for i in found])
        return
    for i in found:
        typer.echo(f"{i.pillar}  {i.code:<32} {i.name.get('en', '')}")


@plan_app.command("target")
def plan_target(
    ctx: typer.Context,
    code: str,
    period: Annotated[str, typer.Argument(help="YYYY or YYYY-MM")],
    value: float,
    country: Annotated[str, typer.Option("--country", help="ISO alpha-3")] = "",
    route: Annotated[str, typer.Option("--route", help="route id")] = "",
) -> None:
    """Set an indicator's target for a period (optionally for one country or route)."""
    monitoring.set_target(
        get_context(ctx).database, SYSTEM, code, Target(period, value, country, route)
    )
    typer.echo(f"{code} {period}: target {value:g}")


@plan_app.command("progress")
def plan_progress(
    ctx: typer.Context,
    code: str,
    year: Annotated[int, typer.Option("--year", help="calendar year")],
    json_output: JsonFlag = False,
) -> None:
    """An indicator's months in a year against its target."""
    done = monitoring.progress(get_context(ctx).database, SYSTEM, code, year)
    data = {
        "code": code,
        "year": year,
        "months": done.months,
        "total": done.total,
        "target": done.target,
        "on_track": done.on_track,
    }
    if json_output:
        print_json(data)
        return
    for month, value in done.months.items():
        typer.echo(f"{month}  {value:,.0f}")
    typer.echo(f"total {done.total}, target {done.target}, on track: {done.on_track}")


@plan_app.command("export")
def plan_export(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="calendar year")],
    output: Annotated[Path, typer.Option("--output", help="the .xlsx file to write")],
    language: Annotated[str, typer.Option("--language", help="en or fr")] = "en",
) -> None:
    """The monitoring plan as XLSX, one sheet per pillar (a donor report's layout)."""
    output.write_bytes(
        monitoring.export_plan_xlsx(get_context(ctx).database, SYSTEM, year, language)
    )
    typer.echo(f"{output}: written")


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C6) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="activities")
