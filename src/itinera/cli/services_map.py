"""``itinera services``: service points along routes — import, list, gaps, siting, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.cli.imports import print_issues
from itinera.domain.access import SYSTEM
from itinera.schemas.services_map import complementarity_out, point_out, siting_out
from itinera.services.services_map import analysis, exports, imports, registry, sectors
from itinera.services.services_map.mappings import parse_mapping_document

__all__ = ["app", "register"]

app = typer.Typer(
    help="Service points along routes: registry, gaps, duplicates, new hubs.", no_args_is_help=True
)
sectors_app = typer.Typer(
    help="The sector → service-type table used by 3W imports.", no_args_is_help=True
)
app.add_typer(sectors_app, name="sectors")

JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="HXL CSV/XLSX, HSDS JSON, or a CSV/XLSX table")],
    format: Annotated[str, typer.Option("--format", help="hxl, hsds or table")] = "hxl",
    mapping: Annotated[
        str | None, typer.Option("--mapping", help="column mapping: a YAML file or a saved name")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="source key (default: from the mapping or file name)"),
    ] = None,
    save_mapping: Annotated[
        str | None, typer.Option("--save-mapping", help="save the mapping under this name")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check and report; store nothing")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="store nothing if any row has an error")
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Import a service list. Re-importing the same file changes nothing."""
    db = get_context(ctx).database
    # The operator's own argument may name a file on this machine; requests never can.
    mapping_file = Path(mapping) if mapping else None
    document = (
        parse_mapping_document(mapping_file.read_bytes())
        if mapping_file is not None and mapping_file.is_file()
        else None
    )
    report = imports.import_services(
        db,
        SYSTEM,
        file,
        format=format,
        mapping=document if document is not None else mapping,
        source=source,
        dry_run=dry_run,
        strict=strict,
        save_mapping_as=save_mapping,
    )
    if json_output:
        print_json(report.as_dict())
    else:
        typer.echo(
            f"{report.file_name} ({report.reader}, source {report.source}): "
            f"{report.rows_read} rows read, {report.rows_rejected} rejected; "
            f"{report.added} points added, {report.updated} updated, "
            f"{report.unchanged} unchanged" + (" (dry run: nothing stored)" if dry_run else "")
        )
        for sector, rows in sorted(report.non_service.items()):
            typer.echo(f"  not a service sector: {sector!r} ({rows} rows)")
        print_issues(report, err=False, shown=None, indent="  ")
        if not report.stored and not dry_run:
            typer.echo("nothing stored" + (" (--strict and errors above)" if strict else ""))
    if not report.stored and not dry_run:
        raise typer.Exit(1)


@app.command("list")
def list_points(
    ctx: typer.Context,
    route: Annotated[
        str | None, typer.Option("--route", help="only points near this route")
    ] = None,
    service_type: Annotated[
        str | None, typer.Option("--type", help="only points offering this service type")
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """List service points, optionally near a route and offering a service type."""
    context = get_context(ctx)
    near = analysis.points_near_route(context.database, route) if route else None
    found = registry.list_points(
        context.database,
        SYSTEM,
        registry.ServiceFilter(service_type=service_type, route_id=route),
        stale_after_days=context.settings.services_stale_after_days,
        near_route=near,
    )
    if json_output:
        print_json([point_out(i).model_dump(mode="json") for i in found])
        return
    for item in found:
        p = item.point
        stale = " (stale)" if item.stale else ""
        typer.echo(
            f"{p.id:>6}  {p.name}  [{p.kind.value}, {p.status.value}{stale}]  "
            + ", ".join(sorted(p.service_types))
        )
    typer.echo(f"{len(found)} service points")


@app.command("gaps")
def gaps(
    ctx: typer.Context,
    route_id: Annotated[str, typer.Argument(help="route id, e.g. central-mediterranean")],
    json_output: JsonFlag = False,
) -> None:
    """Coverage, gaps and duplicates per service type along a route."""
    context = get_context(ctx)
    out = complementarity_out(
        analysis.route_complementarity(context.database, SYSTEM, route_id, context.settings)
    )
    if json_output:
        out.pop("legs")
        print_json(out)
        return
    typer.echo(f"{out['route_name']} ({route_id})")
    for c in out["coverage"]:
        typer.echo(
            f"  {c['service_type']:<32} within {c['radius_km']:g} km: {c['share_length']:.1%} of "
            f"{c['length_km']:g} km, {c['share_demand']:.1%} of demand; {len(c['gaps'])} gaps, "
            f"{c['providers']} providers"
        )
    for d in out["duplicates"]:
        typer.echo(
            f"  possible duplication: {d['service_type']} at "
            + "; ".join(p["name"] for p in d["points"])
        )
    for s in out["same_place"]:
        typer.echo(
            f"  same place twice? {s['first']['name']} / {s['second']['name']} "
            f"({s['distance_km']} km)"
        )


@app.command("site")
def site(
    ctx: typer.Context,
    route_id: Annotated[list[str], typer.Argument(help="one or more route ids")],
    k: Annotated[int, typer.Option("--k", help="number of new hubs")] = 5,
    service_types: Annotated[
        list[str] | None, typer.Option("--service-types", help="services the hub offers (repeat)")
    ] = None,
    radius: Annotated[
        float | None, typer.Option("--radius-km", help="hub coverage distance")
    ] = None,
    candidates: Annotated[
        Path | None, typer.Option("--candidates", help="CSV of candidate sites: name,lat,lon")
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="solver time limit, seconds")
    ] = 60.0,
    json_output: JsonFlag = False,
) -> None:
    """Choose k hub sites that cover the most uncovered demand (exact MCLP vs greedy)."""
    context = get_context(ctx)
    types = [t for item in service_types or [] for t in item.split(",") if t]
    report = analysis.site_hubs(
        context.database,
        SYSTEM,
        route_id,
        k,
        context.settings,
        service_types=types or None,
        radius_km=radius,
        candidates_file=candidates,
        time_limit_s=time_limit,
    )
    out = siting_out(report)
    if json_output:
        print_json(out)
        return
    typer.echo(
        f"{k} hubs along {', '.join(route_id)} (reach {out['radius_km']:g} km): "
        f"cover {out['covered']:g} "
        f"of {out['demand_total']:g} demand ({out['already_covered']:g} already covered); "
        f"{out['solver']} gap {out['gap']:.2%} in {out['seconds']:.2f} s"
    )
    for s in out["sites"]:
        typer.echo(f"  {s['label']} ({s['lat']}, {s['lon']}): +{s['added_demand']:g}")
    typer.echo(
        f"greedy covers {out['greedy']['covered']:g} (exact is {out['improvement_over_greedy']:+g})"
    )


@app.command("export")
def export(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="hxl, geojson or hsds")] = "hxl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file (default: standard output)")
    ] = None,
) -> None:
    """Export the registry as HXL CSV, GeoJSON or Open Referral HSDS 3.0 JSON."""
    context = get_context(ctx)
    found = registry.list_points(
        context.database,
        SYSTEM,
        registry.ServiceFilter(),
        stale_after_days=context.settings.services_stale_after_days,
    )
    if format == "hxl":
        text = exports.to_hxl_csv(found)
    elif format in ("geojson", "hsds"):
        data = exports.to_geojson(found) if format == "geojson" else exports.to_hsds(found)
        text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    else:
        raise typer.BadParameter("hxl, geojson or hsds", param_hint="--format")
    if output:
        output.write_text(text, "utf-8")
    else:
        typer.echo(text)


@sectors_app.command("list")
def sectors_list(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Show how each sector maps to a service type."""
    db = get_context(ctx).database
    rows = sectors.list_sectors(db, SYSTEM)
    if json_output:
        print_json(rows)
        return
    for row in rows:
        typer.echo(
            f"{row['sector']:<45} {row['service_type'] or '(no service meaning)'} [{row['origin']}]"
        )


@sectors_app.command("set")
def sectors_set(
    ctx: typer.Context,
    sector: Annotated[str, typer.Argument(help="the sector as publishers write it")],
    service_type: Annotated[str, typer.Argument(help="a service-type code, or 'none'")],
) -> None:
    """Map a sector to a service type ('none': no service meaning). Kept across reloads."""
    db = get_context(ctx).database
    outcome = sectors.set_sector(
        db, SYSTEM, sector, None if service_type == "none" else service_type
    )
    typer.echo(f"{sector}: {outcome}")


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C5) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="services")
