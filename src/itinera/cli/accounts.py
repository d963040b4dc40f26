"""``itinera orgs``, ``itinera users``, ``itinera tokens``: accounts administration (C8).

The command line acts as ``system`` (an administrator): whoever runs it holds the database.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from itinera.cli.context import get_context, print_json
from itinera.domain.access import SYSTEM
from itinera.schemas.accounts import OrganisationOut, TokenInfoOut, UserOut
from itinera.services.accounts import lifecycle
from itinera.services.accounts import users as accounts

__all__ = ["orgs", "register", "tokens", "users"]

JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]

orgs = typer.Typer(
    help="Organisations: employers of users, receivers of referrals.", no_args_is_help=True
)
users = typer.Typer(help="User accounts: one organisation and one role each.", no_args_is_help=True)
tokens = typer.Typer(
    help="API tokens for machines (shown once, stored as a hash).", no_args_is_help=True
)


@orgs.command("add")
def add_organisation(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="full name, e.g. 'Croix-Rouge française'")],
    type_: Annotated[
        str,
        typer.Option(
            "--type",
            help="un, ngo, state, red-cross-red-crescent, "
            "international-organisation, community-based, "
            "refugee-led, other",
        ),
    ] = "other",
    acronym: Annotated[str | None, typer.Option(help="short name, e.g. CRF")] = None,
) -> None:
    """Add an organisation."""
    created = accounts.create_organisation(get_context(ctx).database, SYSTEM, name, type_, acronym)
    typer.echo(f"organisation {created.id}: {created.name} ({created.type.value})")


@orgs.command("list")
def list_organisations(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """List organisations."""
    found = accounts.list_organisations(get_context(ctx).database)
    if json_output:
        print_json([OrganisationOut.of(o).model_dump(mode="json") for o in found])
        return
    for org in found:
        typer.echo(
            f"{org.id:>4}  {org.name}  [{org.type.value}]"
            + (f" ({org.acronym})" if org.acronym else "")
        )


@users.command("add")
def add_user(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="login name")],
    org: Annotated[str, typer.Option("--org", help="organisation name or acronym")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="administrator, analyst, coordinator, "
            "caseworker, service_provider, gateway_agent, official",
        ),
    ],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="read the password from the first line of standard input"
        ),
    ] = False,
) -> None:
    """Add a user. The password is read from stdin or asked for (never an argument)."""
    password = _read_password(password_stdin)
    user = accounts.create_user(get_context(ctx).database, SYSTEM, username, org, role, password)
    typer.echo(f"user {user.id}: {user.username} ({user.role.value})")


@users.command("list")
def list_users(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """List users with their organisation and role."""
    found = accounts.list_users(get_context(ctx).database, SYSTEM)
    if json_output:
        print_json([UserOut.of(u).model_dump(mode="json") for u in found])
        return
    for user in found:
        state = "" if user.active else " (inactive)"
        typer.echo(
            f"{user.id:>4}  {user.username}  {user.role.value}  org {user.organisation_id}{state}"
        )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="read the password from the first line of stdin"),
]


@users.command("deactivate")
def deactivate_user(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Stop a user logging in; every session and token of theirs is revoked."""
    lifecycle.set_active(get_context(ctx).database, SYSTEM, username, False)
    typer.echo(f"user {username} deactivated; sessions and tokens revoked")


@users.command("activate")
def activate_user(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Let a deactivated user log in again (old tokens stay revoked)."""
    lifecycle.set_active(get_context(ctx).database, SYSTEM, username, True)
    typer.echo(f"user {username} activated")


@users.command("role")
def change_role(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="the new role")],
) -> None:
    """Change a user's role; their sessions and tokens are revoked."""
    user = lifecycle.change_role(get_context(ctx).database, SYSTEM, username, role)
    typer.echo(f"user {user.username} is now {user.role.value}; sessions and tokens revoked")


@users.command("password")
def change_password(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password; the user's sessions and tokens are revoked."""
    password = _read_password(password_stdin)
    lifecycle.change_password(get_context(ctx).database, SYSTEM, username, password)
    typer.echo(f"password of {username} changed; sessions and tokens revoked")


@tokens.command("issue")
def issue_token(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="the user the machine acts as")],
    label: Annotated[str | None, typer.Option(help="what the token is for")] = None,
    days: Annotated[int, typer.Option(help="days until it expires; 0 = never")] = 90,
) -> None:
    """Issue an API token and print it once."""
    issued = accounts.issue_token(
        get_context(ctx).database, SYSTEM, username, label=label, days=days or None
    )
    typer.echo(
        f"token {issued.id} (expires {issued.expires_at or 'never'}); keep it secret:", err=True
    )
    typer.echo(issued.token)


@tokens.command("revoke")
def revoke_token(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="id from `tokens list`")]
) -> None:
    """Revoke a token or a session: it stops working at once."""
    accounts.revoke_token(get_context(ctx).database, SYSTEM, token_id)
    typer.echo(f"token {token_id} revoked")


@tokens.command("list")
def list_tokens(
    ctx: typer.Context,
    username: Annotated[str | None, typer.Argument(help="only this user's")] = None,
    json_output: JsonFlag = False,
) -> None:
    """List tokens and sessions (never the tokens themselves)."""
    found = accounts.list_tokens(get_context(ctx).database, SYSTEM, username)
    if json_output:
        print_json([TokenInfoOut.of(t).model_dump(mode="json") for t in found])
        return
    for info in found:
        state = "revoked" if info.revoked_at else f"expires {info.expires_at or 'never'}"
        typer.echo(f"{info.id:>4}  {info.username}  {info.kind}  {info.label or '-'}  {state}")


def register(root: typer.Typer) -> None:
    """Add this capability's commands (C8) to the ``itinera`` command (called by ``bootstrap``)."""
    root.add_typer(orgs, name="orgs")
    root.add_typer(users, name="users")
    root.add_typer(tokens, name="tokens")
