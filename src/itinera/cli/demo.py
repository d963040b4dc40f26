"""``itinera demo``: the demo bundle that ``itinera init --demo`` loads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context
from itinera.services.demo_build import BundleTooLargeError, build_bundle, bundle_size

__all__ = ["app", "register"]

app = typer.Typer(help="The demo bundle of real public data.", no_args_is_help=True)


@app.command("build")
def build(
    ctx: typer.Context,
    source: Annotated[
        Path | None,
        typer.Option(
            "--from", help="the publishers' original files (default: ITINERA_DEMO_DATA_DIR)"
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="bundle folder (default: ITINERA_DEMO_BUNDLE_DIR)"),
    ] = None,
) -> None:
    """Regenerate the bundle: import each original file, export it, write the manifest."""
    settings = get_context(ctx).settings
    folder = output or settings.demo_bundle_dir
    try:
        files = build_bundle(source or settings.demo_data_dir, folder)
    except (FileNotFoundError, BundleTooLargeError) as error:
        typer.echo(f"{type(error).__name__}: {error}", err=True)
        raise typer.Exit(1) from None
    for entry in files:
        counts = ", ".join(f"{n:,} {kind}" for kind, n in entry.records.items())
        typer.echo(f"{entry.path}: {counts} ({entry.bytes:,} bytes)")
    typer.echo(f"bundle: {folder} ({bundle_size(folder):,} bytes)")


def register(root: typer.Typer) -> None:
    """Add the ``demo`` group to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="demo")
