"""``itinera keys``, ``itinera audit``, ``itinera retention`` (C8)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.domain.access import SYSTEM
from itinera.services.accounts import audit as audit_service
from itinera.services.accounts.audit import AuditFilter
from itinera.services.accounts.keys import rotate_keys
from itinera.services.accounts.retention import apply_retention

__all__ = ["audit", "keys", "register", "retention"]

keys = typer.Typer(help="The field encryption key.", no_args_is_help=True)
audit = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
retention = typer.Typer(help="Erase what has outlived its retention period.", no_args_is_help=True)


@keys.command("rotate")
def rotate(
    ctx: typer.Context,
    keep_old: Annotated[bool, typer.Option(help="keep the old keys in the key file")] = False,
) -> None:
    """New key; re-encrypt every encrypted column in one transaction; retire the old key."""
    context = get_context(ctx)
    report = rotate_keys(context.database, context.settings, keep_old=keep_old)
    for name, count in sorted(report.values.items()):
        typer.echo(f"{name}: {count} values re-encrypted")
    typer.echo(
        f"new key {report.new_key_id} in {context.settings.key_file}; retired: "
        + (", ".join(report.retired_key_ids) or "-")
        + ". Restart running servers so they load it."
    )


@audit.command("verify")
def verify(ctx: typer.Context) -> None:
    """Recompute the hash chain; exit 1 naming the first entry that does not fit."""
    result = audit_service.verify(get_context(ctx).database)
    if not result.ok:
        typer.echo(
            f"audit trail BROKEN at entry {result.first_bad_id}: {result.reason} "
            f"({result.checked} entries fine before it)",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(
        f"audit trail intact: {result.checked} entries; head {result.head_id} "
        f"{result.head_hash} (note it elsewhere to detect a rewrite of the whole chain)"
    )


@audit.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV file (else stdout)")
    ] = None,
    entity: Annotated[str | None, typer.Option(help="only entries about this entity")] = None,
    since: Annotated[str | None, typer.Option(help="from this UTC instant (ISO 8601)")] = None,
    until: Annotated[str | None, typer.Option(help="before this UTC instant")] = None,
) -> None:
    """Export entries as CSV, oldest first, with their hashes."""
    filters = AuditFilter(entity=entity, since=since, until=until)
    db = get_context(ctx).database
    if output is None:
        audit_service.export_entries(db, SYSTEM, sys.stdout, filters, origin="cli")
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        count = audit_service.export_entries(db, SYSTEM, handle, filters, origin="cli")
    typer.echo(f"{count} entries written to {output}")


@retention.command("apply")
def apply(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="report only, change nothing")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="machine-readable report")] = False,
) -> None:
    """Erase or anonymise what is older than ITINERA_RETENTION_DAYS, and report it."""
    context = get_context(ctx)
    report = apply_retention(context.database, SYSTEM, context.settings, dry_run=dry_run)
    if json_output:
        print_json(
            {
                "dry_run": report.dry_run,
                "cutoff": report.cutoff.isoformat(),
                "policies": {
                    name: [i.__dict__ for i in items] for name, items in report.items.items()
                },
            }
        )
        return
    verb = "would erase or anonymise" if dry_run else "erased or anonymised"
    typer.echo(f"retention cutoff {report.cutoff:%Y-%m-%d}: {verb} {report.total} items")
    for name, items in report.items.items():
        counts: dict[str, int] = {}
        for item in items:
            key = f"{item.entity} {item.outcome}"
            counts[key] = counts.get(key, 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing"
        typer.echo(f"  {name}: {summary}")


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C8) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(keys, name="keys")
    root.add_typer(audit, name="audit")
    root.add_typer(retention, name="retention")
