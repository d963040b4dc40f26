"""``itinera gateway``: channels and the staff queue of the Digital Gateway (C9).

The command line acts as ``system`` for channels (an administrator holds the database and the
key). The queue holds people's messages, which administrators may not read, so ``queue`` acts
as a gateway agent: whoever runs it at the server is the contact centre.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.domain.access import SYSTEM, Actor, Role
from itinera.domain.gateway import ChannelKind, is_overdue
from itinera.schemas.gateway import ChannelOut, QueueItemOut
from itinera.services.gateway import articles as article_service
from itinera.services.gateway import channels as channel_service
from itinera.services.gateway import focal_points as focal_point_service
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway, gateway_for

__all__ = ["app", "register"]

app = typer.Typer(help="Digital Gateway: channels and the staff queue.", no_args_is_help=True)
channels = typer.Typer(help="Messaging channels that post to the gateway.", no_args_is_help=True)
app.add_typer(channels, name="channels")
articles = typer.Typer(
    help="Information articles as Markdown files with front matter.", no_args_is_help=True
)
app.add_typer(articles, name="articles")
focal_points = typer.Typer(
    help="Focal points: the only accounts that see sensitive complaints.", no_args_is_help=True
)
app.add_typer(focal_points, name="focal-points")

CONTACT_CENTRE = Actor("cli-gateway", frozenset({Role.GATEWAY_AGENT}))
JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def _gateway(ctx: typer.Context) -> Gateway:
    context = get_context(ctx)
    return gateway_for(context.settings, context.database)


@channels.command("add")
def add_channel(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="e.g. sms-tunis (lower case, digits, - and _)")],
    kind: Annotated[ChannelKind, typer.Option("--kind", help="webhook, email, twilio or meta")],
    reply_url: Annotated[
        str | None, typer.Option(help="webhook: where the adapter receives replies")
    ] = None,
    smtp_host: Annotated[str | None, typer.Option(help="email: the SMTP server")] = None,
    smtp_port: Annotated[int, typer.Option(help="email: the SMTP port")] = 25,
    sender: Annotated[str | None, typer.Option(help="email: the From address")] = None,
    reply_window_hours: Annotated[
        int | None, typer.Option(help="free-text replies only so long after a message (24)")
    ] = None,
    public_url: Annotated[
        str | None, typer.Option(help="twilio: the webhook URL as Twilio calls it")
    ] = None,
    auth_token_stdin: Annotated[
        bool,
        typer.Option(
            help="twilio: read the account's auth token (meta: the app secret) from standard input"
        ),
    ] = False,
    verify_token: Annotated[
        str | None, typer.Option(help="meta: the verify token typed in Meta's console")
    ] = None,
) -> None:
    """Add a channel and print its signing secret, once: it is never shown again."""
    outbound: dict[str, str | int] = (
        {"host": smtp_host or "", "port": smtp_port, "sender": sender or ""}
        if kind is ChannelKind.EMAIL
        else {"url": reply_url or "", "public_url": public_url or ""}
    )
    if kind is ChannelKind.META:
        outbound["verify_token"] = verify_token or ""
    token = sys.stdin.readline().strip() if auth_token_stdin else None
    channel, secret = channel_service.add_channel(
        _gateway(ctx),
        SYSTEM,
        name,
        kind,
        outbound=outbound,
        reply_window_hours=reply_window_hours,
        provider_secret=token,
    )
    if kind is ChannelKind.TWILIO:
        typer.echo(f"channel {channel.name} (twilio) added; signed with your Twilio auth token")
        return
    if kind is ChannelKind.META:
        typer.echo(f"channel {channel.name} (meta) added; signed with your app secret")
        typer.echo(f"verify token for Meta's console: {channel.outbound['verify_token']}")
        return
    typer.echo(f"channel {channel.name} ({channel.kind.value}) added; its secret, shown once:")
    typer.echo(secret)


@channels.command("list")
def list_channels(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """List channels (never their secrets)."""
    found = channel_service.list_channels(_gateway(ctx), SYSTEM)
    if json_output:
        print_json([ChannelOut.of(c).model_dump(mode="json") for c in found])
        return
    for channel in found:
        typer.echo(f"{channel.name}  [{channel.kind.value}]  {channel.created_at:%Y-%m-%d}")


@articles.command("import")
def import_articles(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="folder of <slug>.<language>.md files", exists=True)
    ],
) -> None:
    """Import every article translation of a folder (the same files again change nothing)."""
    report = article_service.import_articles(get_context(ctx).database, SYSTEM, directory)
    counts = report.counts
    typer.echo(
        f"articles: {counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {len(report.issues)} file(s) refused"
    )
    for issue in report.issues:
        where = f" [{issue.column}]" if issue.column else ""
        typer.echo(f"  {issue.source}{where}: {issue.message}", err=True)
    if report.issues:
        raise typer.Exit(1)


@articles.command("export")
def export_articles(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="folder to write the files to")],
) -> None:
    """Write every article translation as <slug>.<language>.md with its front matter."""
    written = article_service.export_articles(get_context(ctx).database, SYSTEM, directory)
    typer.echo(f"{written} article file(s) written to {directory}")


@focal_points.command("add")
def add_focal_point(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="an existing user")],
    partner: Annotated[
        bool,
        typer.Option(
            "--partner",
            help="a partner organisation's focal point: sees only complaints passed to it",
        ),
    ] = False,
) -> None:
    """Name a focal point for sexual exploitation and abuse, fraud and misconduct complaints."""
    added = focal_point_service.name_focal_point(_gateway(ctx), SYSTEM, username, partner=partner)
    kind = "a partner focal point" if partner else "a focal point"
    typer.echo(f"{username} is {'now' if added else 'already'} {kind}")


@focal_points.command("remove")
def remove_focal_point(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="a focal point")]
) -> None:
    """Stop a user being a focal point."""
    removed = focal_point_service.remove_focal_point(_gateway(ctx), SYSTEM, username)
    typer.echo(f"{username} {'is no longer' if removed else 'was not'} a focal point")


@focal_points.command("list")
def list_focal_points(ctx: typer.Context) -> None:
    """The named focal points."""
    for username in focal_point_service.list_focal_points(_gateway(ctx), SYSTEM):
        typer.echo(username)


@app.command("queue")
def show_queue(
    ctx: typer.Context,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="only those past their target")
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Open submissions, oldest first (codes, kinds and ages; never the messages)."""
    now = datetime.now(UTC)
    found = queue_service.queue(_gateway(ctx), CONTACT_CENTRE, overdue_only=overdue)
    items = [QueueItemOut.of(s, overdue=is_overdue(s, now)) for s in found]
    if json_output:
        print_json([item.model_dump(mode="json") for item in items])
        return
    if not items:
        typer.echo("no open submissions" + (" past their target" if overdue else ""))
    for item in items:
        late = "  OVERDUE" if item.overdue else ""
        flags = f"  [{', '.join(item.flags)}]" if item.flags else ""
        typer.echo(
            f"{item.tracking_code}  {item.kind.value:<9} {item.status.value:<11} "
            f"{item.language:<5} {item.created_at:%Y-%m-%d %H:%M}{flags}{late}"
        )


def register(root: typer.Typer) -> None:
    """Add ``itinera gateway`` to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(app, name="gateway")
