"""Who may do what: roles, actions, the role × action matrix, and the acting principal.

The matrix below is the one place permissions are written (docs/access.md documents it and a
test checks every role against every action). Services call :func:`require` themselves, so a
check cannot be skipped by calling a service from another interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from itinera.domain.errors import PermissionDeniedError

__all__ = ["ANONYMOUS", "MATRIX", "SYSTEM", "Action", "Actor", "Role", "can", "require"]


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    ANALYST = "analyst"
    COORDINATOR = "coordinator"
    CASEWORKER = "caseworker"
    SERVICE_PROVIDER = "service_provider"
    GATEWAY_AGENT = "gateway_agent"
    OFFICIAL = "official"  # aggregates only
    PUBLIC = "public"  # not logged in


class Action(StrEnum):
    VIEW_ROUTES = "view_routes"
    EDIT_ROUTES = "edit_routes"
    VIEW_AGGREGATES = "view_aggregates"  # suppressed public figures
    VIEW_EXACT_FIGURES = "view_exact_figures"  # small cells unsuppressed
    IMPORT_MOVEMENTS = "import_movements"
    MANAGE_SOURCES = "manage_sources"
    VIEW_SERVICES = "view_services"
    EDIT_SERVICES = "edit_services"
    IMPORT_SERVICES = "import_services"


_ALL = frozenset(Action)
_PUBLIC = frozenset({Action.VIEW_ROUTES, Action.VIEW_AGGREGATES, Action.VIEW_SERVICES})

MATRIX: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: _ALL,
    Role.ANALYST: _PUBLIC
    | {Action.EDIT_ROUTES, Action.VIEW_EXACT_FIGURES, Action.IMPORT_MOVEMENTS, Action.MANAGE_SOURCES},
    Role.COORDINATOR: _PUBLIC
    | {Action.VIEW_EXACT_FIGURES, Action.EDIT_SERVICES, Action.IMPORT_SERVICES},
    Role.CASEWORKER: _PUBLIC,
    Role.SERVICE_PROVIDER: _PUBLIC,
    Role.GATEWAY_AGENT: _PUBLIC,
    Role.OFFICIAL: _PUBLIC,
    Role.PUBLIC: _PUBLIC,
}


@dataclass(frozen=True)
class Actor:
    """The person or process acting. ``organisation_id`` scopes access to organisations' data."""

    username: str
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.PUBLIC}))
    user_id: int | None = None
    organisation_id: int | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles


ANONYMOUS = Actor("anonymous")
SYSTEM = Actor("system", frozenset({Role.ADMINISTRATOR}))
"""The local operator at the command line (who already holds the database and the key)."""


def can(actor: Actor, action: Action) -> bool:
    return any(action in MATRIX[role] for role in actor.roles)


def require(actor: Actor, action: Action) -> None:
    if not can(actor, action):
        raise PermissionDeniedError(
            f"{actor.username!r} may not {action.value.replace('_', ' ')}",
            hint="log in with an account whose role allows it",
        )
