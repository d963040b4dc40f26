"""``itinera routes``: the route catalogue."""

from __future__ import annotations

from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.domain.text import localise
from itinera.schemas.routes import route_out, route_summary_out
from itinera.services.catalogue import routes as route_service

__all__ = ["app", "register"]

app = typer.Typer(
    help="The route catalogue: routes, legs, countries and their roles.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]
Language = Annotated[str, typer.Option("--lang", help="language of names: en, fr or ar")]


@app.command("list")
def list_routes(ctx: typer.Context, json_output: JsonFlag = False, lang: Language = "en") -> None:
    """List every route with its group and size."""
    found = route_service.list_routes(get_context(ctx).database)
    if json_output:
        print_json([route_summary_out(r, lang).model_dump(mode="json") for r in found])
        return
    width = max((len(r.id) for r in found), default=2)
    for route in found:
        marks = " (edited)" if route.edited else (" (user)" if route.origin == "user" else "")
        typer.echo(
            f"{route.id:<{width}}  {localise(route.name, lang)}  "
            f"[{route.group or '-'}; {len(route.legs)} legs]{marks}"
        )


@app.command("show")
def show_route(
    ctx: typer.Context,
    route_id: Annotated[str, typer.Argument(help="route id, e.g. central-mediterranean")],
    json_output: JsonFlag = False,
    lang: Language = "en",
) -> None:
    """Show one route: its countries with roles, legs, group and links."""
    detail = route_service.get_route(get_context(ctx).database, route_id)
    out = route_out(detail, lang)
    if json_output:
        print_json(out.model_dump(mode="json", by_alias=True))
        return
    typer.echo(f"{out.name} ({out.id})")
    if out.group_detail:
        typer.echo(f"group: {out.group_detail.name}")
    if out.description:
        typer.echo(out.description)
    typer.echo("countries:")
    for country in out.countries:
        typer.echo(f"  {country.country}  {country.name:<28} {country.role.value}")
    typer.echo("legs:")
    for leg in out.legs:
        via = f" via {leg.via.name}" if leg.via else ""
        typer.echo(
            f"  {leg.position + 1}. {leg.from_.name} → {leg.to.name} ({leg.mode.value}){via}"
        )
    for link in out.links:
        typer.echo(f"link: {link.kind.value} {link.direction} {link.route_id}")
    if out.aliases:
        typer.echo("also called: " + "; ".join(out.aliases))


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C1) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="routes")
