"""Jobs: long work (imports, reports, linkage, siting) run outside the request (issue 10).

A job is a row in the store: its kind, its parameters (never personal data: ids, codes, the
name of a staged file), its owner, its status and progress. Workers claim queued jobs, report
progress and a heartbeat, and finish them with a result reference or an error sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from itinera.domain.access import Actor, Role

__all__ = ["FINISHED", "Job", "JobCancelledError", "JobOwner", "JobStatus"]


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})
"""Statuses a job never leaves."""


class JobCancelledError(Exception):
    """Raised inside a running job when its owner asked to cancel it: its transaction rolls
    back and the job ends ``cancelled``."""


@dataclass(frozen=True)
class JobOwner:
    """Who submitted the job, kept so that the job runs with that person's rights (re-read
    from the accounts at run time when the owner is a stored user)."""

    name: str
    roles: frozenset[Role]
    user_id: int | None = None
    organisation_id: int | None = None

    @classmethod
    def of(cls, actor: Actor) -> JobOwner:
        return cls(actor.username, actor.roles, actor.user_id, actor.organisation_id)

    def actor(self) -> Actor:
        return Actor(self.name, self.roles, self.user_id, self.organisation_id)

    def is_(self, actor: Actor) -> bool:
        if self.user_id is not None or actor.user_id is not None:
            return self.user_id == actor.user_id
        return self.name == actor.username


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    parameters: dict[str, Any]
    owner: JobOwner
    status: JobStatus
    created_at: datetime
    done: int = 0
    total: int | None = None
    message_key: str = "queued"
    result: dict[str, Any] | None = None
    error: str | None = None
    cancel_requested: bool = False
    attempts: int = 0
    worker: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """Progress as a whole percentage, None while the total is unknown."""
        if not self.total:
            return 100 if self.status is JobStatus.DONE else None
        return min(100, self.done * 100 // self.total)
