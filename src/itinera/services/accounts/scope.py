"""Separation of duties for administration (issue 10, item 5).

An administrator signed in to the web or the API acts only within their own organisation: its
users, its users' tokens. Work across organisations (creating organisations, accounts in any
organisation, tokens for machine accounts) belongs to the platform operator at the command line,
the :data:`~itinera.domain.access.SYSTEM` actor, who already holds the database and the key and
whose every action is audited as ``system``. No web role can act as another user: an API token
is issued over the web only to the person asking for it.
"""

from __future__ import annotations

from itinera.domain.access import Actor
from itinera.domain.errors import NotFoundError, PermissionDeniedError

__all__ = [
    "is_platform_operator",
    "require_own_organisation",
    "require_platform_operator",
    "require_self_or_operator",
]


def is_platform_operator(actor: Actor) -> bool:
    """The command-line operator: an actor without an organisation or a user account."""
    return actor.organisation_id is None and actor.user_id is None


def require_platform_operator(actor: Actor, what: str) -> None:
    if not is_platform_operator(actor):
        raise PermissionDeniedError(
            f"{what} is done by the platform operator at the command line",
            hint="ask the operator to run the itinera command",
        )


def require_own_organisation(actor: Actor, organisation_id: int, what: str) -> None:
    """Another organisation's user or token answers as if it did not exist."""
    if not is_platform_operator(actor) and actor.organisation_id != organisation_id:
        raise NotFoundError(f"no {what}", hint="administrators manage their own organisation")


def require_self_or_operator(actor: Actor, user_id: int) -> None:
    if not is_platform_operator(actor) and actor.user_id != user_id:
        raise PermissionDeniedError(
            "an API token is issued only to the person asking for it: nobody acts as another user",
            hint="the user asks for their own token, or the operator issues one at the command "
            "line for a machine account",
        )
