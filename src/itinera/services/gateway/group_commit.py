"""Group commit: one writer thread stores what many requests hand it, a batch per transaction.

Under 200 concurrent clients each submission paid for its own transaction (session, write
turn, audit-head lock, commit); the writer gathers whatever arrived while the previous batch
was committing (up to ``limit`` items, no waiting added) and stores them together. Each caller
holds a future resolved only after its batch committed, so nothing is acknowledged before it
is stored (decision 0028). The thread starts with the first item and leaves when idle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["GroupCommit", "Pending"]

Item = TypeVar("Item")
Result = TypeVar("Result")

IDLE_EXIT_SECONDS = 2.0


@dataclass(frozen=True)
class Pending(Generic[Item, Result]):
    """An item waiting for its batch, and the future its caller waits on."""

    item: Item
    future: Future[Result] = field(default_factory=Future)


class GroupCommit(Generic[Item, Result]):
    """``flush`` stores a batch and resolves every future in it (result or exception)."""

    def __init__(
        self,
        flush: Callable[[Sequence[Pending[Item, Result]]], None],
        *,
        limit: int = 64,
        idle_exit: float = IDLE_EXIT_SECONDS,
    ) -> None:
        self._flush = flush
        self._limit = limit
        self._idle_exit = idle_exit
        self._pending: list[Pending[Item, Result]] = []
        self._wake = threading.Condition()
        self._running = False

    def submit(self, item: Item) -> Future[Result]:
        pending: Pending[Item, Result] = Pending(item)
        with self._wake:
            self._pending.append(pending)
            if self._running:
                self._wake.notify()
            else:
                self._running = True
                threading.Thread(target=self._run, name="gateway-intake", daemon=True).start()
        return pending.future

    def _next_batch(self) -> list[Pending[Item, Result]] | None:
        with self._wake:
            while not self._pending:
                if not self._wake.wait(self._idle_exit) and not self._pending:
                    self._running = False
                    return None
            batch = self._pending[: self._limit]
            del self._pending[: self._limit]
            return batch

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._flush(batch)
            except Exception as error:  # no caller may wait forever
                for pending in batch:
                    if not pending.future.done():
                        pending.future.set_exception(error)
