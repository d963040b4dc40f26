"""The kinds of job a worker can run, registered by the capabilities (never at import)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itinera.config import Settings
from itinera.domain.access import Actor
from itinera.domain.errors import NotFoundError
from itinera.domain.jobs import Job, JobCancelledError
from itinera.storage.database import Database

__all__ = ["JobContext", "JobKind", "job_kind", "known_kinds", "register_job_kind"]


class JobContext:
    """What a running job sees: the store, its owner as actor, its parameters, and
    ``progress`` (which raises :class:`JobCancelledError` once cancellation was asked).

    Progress is kept in memory and written by the worker's heartbeat thread: a job inside a
    long SQLite write transaction could not write it itself."""

    def __init__(self, db: Database, job: Job, actor: Actor, settings: Settings) -> None:
        self.db, self.job, self.actor, self.settings = db, job, actor, settings
        self.parameters = job.parameters
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._progress: tuple[int, int | None, str] = (job.done, job.total, "started")
        self._changed = False

    def progress(self, done: int, total: int | None = None, message_key: str | None = None) -> None:
        with self._lock:
            key = message_key or self._progress[2]
            self._progress = (done, total if total is not None else self._progress[1], key)
            self._changed = True
        self.check()

    def check(self) -> None:
        if self.cancelled.is_set():
            raise JobCancelledError

    def take_progress(self) -> tuple[int, int | None, str] | None:
        """The progress to write, if it changed since the last call."""
        with self._lock:
            changed, self._changed = self._changed, False
            return self._progress if changed else None

    @property
    def current(self) -> tuple[int, int | None, str]:
        with self._lock:
            return self._progress


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[JobContext], dict[str, Any]]  # answers the result reference
    # After its worker died: True requeues the job (it starts again from its parameters and
    # staged file, its earlier transaction having rolled back); False fails it.
    resumable: bool = False
    max_attempts: int = 3


_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    _KINDS[kind.name] = kind


def job_kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise NotFoundError(f"no job kind {name!r} is registered") from None


def known_kinds() -> list[str]:
    return sorted(_KINDS)
