"""Who may do what: roles, actions, the role × action matrix, and the acting principal.

The matrix below is the one place permissions are written (docs/access.md documents it and a
test checks every role against every action). Services call :func:`require` themselves, so a
check cannot be skipped by calling a service from another interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from itinera.domain.errors import PermissionDeniedError

__all__ = [
    "ANONYMOUS",
    "MATRIX",
    "SYSTEM",
    "Action",
    "Actor",
    "AuthenticationError",
    "Role",
    "can",
    "require",
]


class AuthenticationError(PermissionDeniedError):
    """Who is calling could not be established (wrong credentials, expired or revoked token)."""

    code = "authentication_failed"


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
    # accounts and administration (C8)
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_USERS = "manage_users"
    MANAGE_TOKENS = "manage_tokens"
    VIEW_AUDIT = "view_audit"
    EXPORT_AUDIT = "export_audit"
    APPLY_RETENTION = "apply_retention"
    MANAGE_SCREENING_RULES = "manage_screening_rules"
    # case records and referrals (C7); services also scope them to the actor's organisation
    REGISTER_CASE = "register_case"
    VIEW_CASE = "view_case"
    EDIT_CASE = "edit_case"
    SCREEN_CASE = "screen_case"
    REFER_CASE = "refer_case"
    RECEIVE_REFERRAL = "receive_referral"  # see referrals sent to one's organisation
    UPDATE_REFERRAL = "update_referral"  # accept, decline, progress, complete them
    ERASE_CASE = "erase_case"  # erasure on the person's request
    EXPORT_CASES_PSEUDONYMISED = "export_cases_pseudonymised"
    # the Digital Gateway's staff queue (C9): people's messages, so need-to-know as well
    VIEW_GATEWAY_QUEUE = "view_gateway_queue"
    ANSWER_GATEWAY = "answer_gateway"
    MANAGE_GATEWAY_CHANNELS = "manage_gateway_channels"
    NAME_GATEWAY_FOCAL_POINTS = "name_gateway_focal_points"  # who sees sensitive complaints
    EDIT_GATEWAY_ARTICLES = "edit_gateway_articles"  # public information, no personal data


_PUBLIC = frozenset({Action.VIEW_ROUTES, Action.VIEW_AGGREGATES, Action.VIEW_SERVICES})
# Reading and working on case records: need-to-know, so not even administrators hold these
# (separation of duties: who runs the platform does not read the people's files).
_CASE_CONTENT = frozenset(
    {
        Action.REGISTER_CASE,
        Action.VIEW_CASE,
        Action.EDIT_CASE,
        Action.SCREEN_CASE,
        Action.REFER_CASE,
        Action.RECEIVE_REFERRAL,
        Action.UPDATE_REFERRAL,
    }
)
_GATEWAY_CONTENT = frozenset({Action.VIEW_GATEWAY_QUEUE, Action.ANSWER_GATEWAY})
_REFERRAL_RECEIVER = frozenset({Action.RECEIVE_REFERRAL, Action.UPDATE_REFERRAL})

MATRIX: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset(a for a in Action) - _CASE_CONTENT - _GATEWAY_CONTENT,
    Role.ANALYST: _PUBLIC
    | {
        Action.EDIT_ROUTES,
        Action.VIEW_EXACT_FIGURES,
        Action.IMPORT_MOVEMENTS,
        Action.MANAGE_SOURCES,
    },
    Role.COORDINATOR: _PUBLIC
    | _CASE_CONTENT
    | _GATEWAY_CONTENT
    | {
        Action.EDIT_GATEWAY_ARTICLES,
        Action.VIEW_EXACT_FIGURES,
        Action.EDIT_SERVICES,
        Action.IMPORT_SERVICES,
        Action.ERASE_CASE,
        Action.EXPORT_CASES_PSEUDONYMISED,
    },
    Role.CASEWORKER: _PUBLIC | _CASE_CONTENT | _GATEWAY_CONTENT,
    Role.SERVICE_PROVIDER: _PUBLIC | _REFERRAL_RECEIVER,
    # first contact at entry points: registers, screens and refers, does not follow cases up
    Role.GATEWAY_AGENT: _PUBLIC
    | _GATEWAY_CONTENT
    | {
        Action.EDIT_GATEWAY_ARTICLES,
        Action.REGISTER_CASE,
        Action.VIEW_CASE,
        Action.SCREEN_CASE,
        Action.REFER_CASE,
    },
    Role.OFFICIAL: _PUBLIC,  # aggregates only
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


def matrix_markdown() -> str:
    """The matrix as a Markdown table (docs/access.md embeds it; a test keeps them equal)."""
    roles: list[Role] = [r for r in Role]
    lines = [
        "| action | " + " | ".join(r.value for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for action in Action:
        marks = ["yes" if action in MATRIX[role] else "–" for role in roles]
        lines.append(f"| `{action.value}` | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"
