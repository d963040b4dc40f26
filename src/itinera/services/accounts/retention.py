"""``itinera retention apply``: erase or anonymise what has outlived its purpose (C8).

Capabilities plug their rules in with :func:`register_retention_policy` (case records plug
case expiry and erasure). A policy receives the session and a :class:`RetentionContext`
(the cutoff from ``ITINERA_RETENTION_DAYS``, and whether this is a dry run, in which case it
must change nothing) and answers what it erased or anonymised. Everything runs in one
transaction, every item erased gets an audit entry (ids only), and a dry run rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from itinera.config import Settings
from itinera.domain.access import Action, Actor, require
from itinera.domain.account import aware
from itinera.services.accounts import audit
from itinera.storage.accounts.account_repository import AccountRepository
from itinera.storage.database import Database, UnitOfWork

__all__ = [
    "RetentionContext",
    "RetentionItem",
    "RetentionPolicy",
    "RetentionReport",
    "apply_retention",
    "ended_sessions",
    "register_retention_policy",
    "retention_policies",
    "unregister_retention_policy",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionContext:
    now: datetime
    cutoff: datetime  # data last touched before this has expired
    dry_run: bool
    actor: Actor


@dataclass(frozen=True)
class RetentionItem:
    entity: str  # "case", "referral", "api_token"…
    entity_id: str
    outcome: Literal["erased", "anonymised"]
    reason: str = "retention period over"


RetentionPolicy = Callable[[UnitOfWork, RetentionContext], list[RetentionItem]]

_POLICIES: dict[str, RetentionPolicy] = {}


def register_retention_policy(name: str, fn: RetentionPolicy) -> None:
    _POLICIES[name] = fn


def unregister_retention_policy(name: str) -> None:
    _POLICIES.pop(name, None)


def retention_policies() -> dict[str, RetentionPolicy]:
    return dict(_POLICIES)


@dataclass
class RetentionReport:
    dry_run: bool
    cutoff: datetime
    items: dict[str, list[RetentionItem]] = field(default_factory=dict)  # policy -> items

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.items.values())


def apply_retention(
    db: Database,
    actor: Actor,
    settings: Settings,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> RetentionReport:
    require(actor, Action.APPLY_RETENTION)
    now = now or datetime.now(UTC)
    context = RetentionContext(now, now - timedelta(days=settings.retention_days), dry_run, actor)
    report = RetentionReport(dry_run, context.cutoff)
    with db.transaction() as session:
        for name, policy in sorted(_POLICIES.items()):
            items = policy(session, context)
            report.items[name] = items
            if dry_run:
                continue
            for item in items:
                audit.record(
                    session,
                    actor,
                    action=f"retention.{item.outcome}",
                    entity=item.entity,
                    entity_id=item.entity_id,
                    purpose="retention",
                    origin="retention",
                    detail={"policy": name, "reason": item.reason},
                )
        if dry_run:
            session.rollback()
    if not dry_run and report.total:
        db.reclaim()  # no old ciphertext of erased cases left in SQLite's write-ahead log
    log.info("retention %s: %d items", "dry run" if dry_run else "applied", report.total)
    return report


def ended_sessions(session: UnitOfWork, context: RetentionContext) -> list[RetentionItem]:
    """Login sessions that expired or were closed: nothing needs them any more."""
    accounts = AccountRepository(session)
    ended = [
        token.id
        for token in accounts.tokens(kind="session")
        if token.revoked_at is not None or (aware(token.expires_at) or context.now) < context.now
    ]
    if not context.dry_run:
        accounts.delete_tokens(ended)
    return [RetentionItem("session", str(i), "erased", "session ended") for i in ended]
