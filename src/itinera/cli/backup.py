"""``itinera backup create FILE`` and ``itinera backup restore FILE`` (decision 0019)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context
from itinera.services.backup import create_backup, restore_backup

__all__ = ["backup", "register"]

backup = typer.Typer(
    help="Back up the whole store to one file, and restore it (the key is kept apart).",
    no_args_is_help=True,
)


@backup.command("create")
def create(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="the backup file to write (must not exist)")],
) -> None:
    """Copy every table, as of one instant, while the server keeps serving."""
    context = get_context(ctx)
    manifest = create_backup(context.database, context.settings, file)
    typer.echo(
        f"backup written to {file}: {manifest.total_rows} rows in {len(manifest.tables)} "
        f"tables; schema {', '.join(manifest.revisions)}; audit trail up to entry "
        f"{manifest.audit_head_id}; checksum {manifest.checksum[:16]}"
    )
    typer.echo(
        f"field key fingerprint {manifest.key_id}: the key is NOT in the backup; keep the key "
        "file (or ITINERA_FIELD_KEY) safe and apart, a restore needs it"
    )


@backup.command("restore")
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="a file written by `itinera backup create`")],
    force: Annotated[
        bool, typer.Option("--force", help="replace everything in a database that is not empty")
    ] = False,
) -> None:
    """Restore every table in one transaction, then verify the audit trail."""
    context = get_context(ctx)
    report = restore_backup(context.database, context.settings, file, force=force)
    manifest = report.manifest
    typer.echo(
        f"restored {report.rows_restored} rows in {len(manifest.tables)} tables from {file} "
        f"(made {manifest.created_at:%Y-%m-%d %H:%M} UTC on {manifest.dialect}); every "
        "table's row count and checksum match the manifest"
    )
    typer.echo(f"field key fingerprint {report.key_id} matches the configured key")
    if not report.audit_ok:
        typer.echo(f"audit trail BROKEN after restore: {report.audit_problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit trail intact: {report.audit_checked} entries, as in the backup")


def register(root: typer.Typer) -> None:
    """Add ``itinera backup`` to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(backup, name="backup")
