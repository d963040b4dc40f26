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
    TRACING = "tracing"  # the tracing team: restoring family links (C10)
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
    # restoring family links (C10)
    REQUEST_TRACING = "request_tracing"  # record and read tracing requests
    REVIEW_TRACING = "review_tracing"  # see candidates, decide, record consent, close
    RUN_TRACING_MATCH = "run_tracing_match"  # run the linkage (sees no record)
    EXPORT_TRACING = "export_tracing"  # PFIF exchange with other tracing services
    # field monitoring and route reports (C11, C4)
    RECORD_FIELD_MONITORING = "record_field_monitoring"  # risk observations and field notes
    VIEW_INTERNAL_MONITORING = "view_internal_monitoring"  # internal entries, internal reports
    # activities by pillar (C6); services also scope editing to the actor's organisation
    VIEW_ACTIVITIES = "view_activities"  # who does what where, with organisation names
    ENTER_ACTIVITIES = "enter_activities"  # one's own organisation's activities and figures
    IMPORT_ACTIVITIES = "import_activities"
    REVIEW_ACTIVITY_REPORTS = "review_activity_reports"  # approve or return a partner's report
    MANAGE_REPORTING_PERIODS = "manage_reporting_periods"  # open, close, correct after closing
    VIEW_BUDGETS = "view_budgets"  # every organisation's budgets (one's own are always shown)
    MERGE_ORGANISATIONS = "merge_organisations"  # confirm or reject fuzzy merge suggestions
    MANAGE_MONITORING_PLAN = "manage_monitoring_plan"  # indicators, baselines and targets
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
# Tracing content is need-to-know like case content: the tracing team only.
_TRACING_CONTENT = frozenset({Action.REQUEST_TRACING, Action.REVIEW_TRACING})
_GATEWAY_CONTENT = frozenset({Action.VIEW_GATEWAY_QUEUE, Action.ANSWER_GATEWAY})
_REFERRAL_RECEIVER = frozenset({Action.RECEIVE_REFERRAL, Action.UPDATE_REFERRAL})
# Partners enter their own activities; everyone logged in reads who does what where.
_PARTNER = frozenset({Action.VIEW_ACTIVITIES, Action.ENTER_ACTIVITIES})
_ACTIVITY_COORDINATION = frozenset(
    {
        Action.IMPORT_ACTIVITIES,
        Action.REVIEW_ACTIVITY_REPORTS,
        Action.MANAGE_REPORTING_PERIODS,
        Action.VIEW_BUDGETS,
        Action.MERGE_ORGANISATIONS,
        Action.MANAGE_MONITORING_PLAN,
    }
)

MATRIX: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset(a for a in Action)
    - _CASE_CONTENT
    - _TRACING_CONTENT
    - _GATEWAY_CONTENT,
    Role.ANALYST: _PUBLIC
    | {
        Action.EDIT_ROUTES,
        Action.VIEW_EXACT_FIGURES,
        Action.IMPORT_MOVEMENTS,
        Action.MANAGE_SOURCES,
        Action.RECORD_FIELD_MONITORING,
        Action.VIEW_INTERNAL_MONITORING,
        Action.VIEW_ACTIVITIES,
    },
    Role.COORDINATOR: _PUBLIC
    | _CASE_CONTENT
    | _GATEWAY_CONTENT
    | _PARTNER
    | _ACTIVITY_COORDINATION
    | {
        Action.EDIT_GATEWAY_ARTICLES,
        Action.VIEW_EXACT_FIGURES,
        Action.EDIT_SERVICES,
        Action.IMPORT_SERVICES,
        Action.ERASE_CASE,
        Action.EXPORT_CASES_PSEUDONYMISED,
        Action.RECORD_FIELD_MONITORING,
        Action.VIEW_INTERNAL_MONITORING,
    },
    Role.CASEWORKER: _PUBLIC | _CASE_CONTENT | _GATEWAY_CONTENT | {Action.VIEW_ACTIVITIES},
    Role.SERVICE_PROVIDER: _PUBLIC | _REFERRAL_RECEIVER | _PARTNER,
    # first contact at entry points: registers, screens and refers, does not follow cases up
    Role.GATEWAY_AGENT: _PUBLIC
    | _GATEWAY_CONTENT
    | {
        Action.EDIT_GATEWAY_ARTICLES,
        Action.REGISTER_CASE,
        Action.VIEW_CASE,
        Action.SCREEN_CASE,
        Action.REFER_CASE,
        Action.VIEW_ACTIVITIES,
    },
    Role.TRACING: _PUBLIC
    | _TRACING_CONTENT
    | {Action.RUN_TRACING_MATCH, Action.EXPORT_TRACING, Action.VIEW_ACTIVITIES},
    Role.OFFICIAL: _PUBLIC | {Action.VIEW_ACTIVITIES},  # aggregates, and who works where
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
