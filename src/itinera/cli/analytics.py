"""``itinera analytics``: route series, mortality and alerts (C3)."""

from __future__ import annotations

from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.domain.access import SYSTEM
from itinera.services.analytics import alerts as alert_service
from itinera.services.analytics import freshness
from itinera.services.analytics import series as series_service
from itinera.services.analytics.tables import Table, alerts_table, mortality_table, series_table

__all__ = ["app", "register"]

app = typer.Typer(help="Route analytics: series, mortality, alerts.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]
FromOpt = Annotated[str | None, typer.Option("--from", help="first month, YYYY-MM")]
ToOpt = Annotated[str | None, typer.Option("--to", help="last month, YYYY-MM")]


def _print(table: Table) -> None:
    header, rows = table
    typer.echo("\t".join(header))
    for row in rows:
        typer.echo("\t".join("" if v is None else str(v) for v in row))


@app.command("series")
def series(
    ctx: typer.Context,
    route_id: Annotated[str, typer.Argument(help="route id, e.g. central-mediterranean")],
    indicator: Annotated[str, typer.Option("--indicator", help="indicator code")],
    first: FromOpt = None,
    last: ToOpt = None,
    by: Annotated[
        str | None, typer.Option("--by", help="nationality, sex, age_group or country")
    ] = None,
    top: Annotated[int | None, typer.Option("--top", help="keep the N largest, then other")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="only this country (ISO 3166 alpha-3)")
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Monthly figures of one indicator on one route (exact: the local operator)."""
    data = series_service.route_series(
        get_context(ctx).database,
        SYSTEM,
        route_id,
        indicator,
        first,
        last,
        by,
        top,
        country=country,
    )
    if json_output:
        print_json(data)
        return
    _print(series_table(data))
    typer.echo(f"total\t{'' if data['total'] is None else data['total']}")


@app.command("mortality")
def mortality(
    ctx: typer.Context,
    route_id: Annotated[str, typer.Argument(help="route id")],
    first: FromOpt = None,
    last: ToOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """(dead + missing) / (arrivals + dead + missing) per month and over the period."""
    data = series_service.route_mortality(get_context(ctx).database, SYSTEM, route_id, first, last)
    if json_output:
        print_json(data)
        return
    _print(mortality_table(data))


@app.command("alerts")
def alerts(
    ctx: typer.Context,
    route: Annotated[str | None, typer.Option("--route", help="only this route")] = None,
    months: Annotated[int, typer.Option("--months", help="look back this many months")] = 12,
    lang: Annotated[str, typer.Option("--lang", help="en, fr or ar")] = "en",
    json_output: JsonFlag = False,
) -> None:
    """Early-warning and shift alerts across all routes, newest first."""
    context = get_context(ctx)
    found = alert_service.list_alerts(
        context.database,
        SYSTEM,
        route_id=route,
        months=months,
        language=lang,
        shift_points=context.settings.analytics_shift_points,
    )
    if json_output:
        print_json(found)
        return
    _print(alerts_table(found))


@app.command("refresh")
def refresh(ctx: typer.Context) -> None:
    """Rebuild the analytics cube from the stored observations (after alias edits)."""
    added = freshness.rebuild_cube(get_context(ctx).database)
    typer.echo(f"analytics cube rebuilt from {added} import batch(es)")


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C3) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="analytics")
