"""Group commit: one writer thread stores what many requests hand it, a batch per transaction.

Under 200 concurrent clients each submission paid for its own transaction (session, write
turn, audit-head lock, commit); the writer gathers whatever arrived while the previous batch
was committing (up to ``limit`` items, no waiting added) and stores them together. Each caller
holds a future resolved only after its batch committed, so nothing is acknowledged before it
is stored (decision 0028). The thread starts with the first item and leaves when idle.

A caller on an event loop (the web intake) uses :meth:`GroupCommit.submit_waiting`: its
outcome is kept until the whole batch is done, then the batch's outcomes reach that loop in
one call (decision 0033). A thread-safe future per item cost a lock, a condition, a chained
asyncio future and a wake-up of the loop each, the loop's second largest cost under load.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["GroupCommit", "LoopWaiter", "Pending"]

Item = TypeVar("Item")
Result = TypeVar("Result")
Answer = TypeVar("Answer", contravariant=True)

IDLE_EXIT_SECONDS = 2.0


class Outcome(Protocol[Answer]):
    """What ``flush`` resolves: a thread-safe future, or a :class:`LoopWaiter`."""

    def set_result(self, result: Answer, /) -> None: ...
    def set_exception(self, exception: BaseException, /) -> None: ...
    def done(self) -> bool: ...


class LoopWaiter(Generic[Result]):
    """A caller waiting on an event loop: its outcome is kept until the batch is done, then
    handed to the loop with the rest of the batch's (:meth:`GroupCommit._hand_back`)."""

    __slots__ = ("_error", "_result", "_set", "loop", "waiter")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiter: asyncio.Future[Result] = loop.create_future()
        self._set = False
        self._result: Result | None = None
        self._error: BaseException | None = None

    def set_result(self, result: Result, /) -> None:
        self._result, self._set = result, True

    def set_exception(self, exception: BaseException, /) -> None:
        self._error, self._set = exception, True

    def done(self) -> bool:
        return self._set

    def deliver(self) -> None:
        """On the loop: answer the waiter (unless its caller gave up, e.g. disconnected)."""
        if self.waiter.done():
            return
        if not self._set:  # never left without an answer, even by a faulty flush
            self.waiter.set_exception(RuntimeError("the batch ended without an outcome"))
        elif self._error is not None:
            self.waiter.set_exception(self._error)
        else:
            self.waiter.set_result(self._result)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Pending(Generic[Item, Result]):
    """An item waiting for its batch, and the outcome its caller waits on."""

    item: Item
    future: Outcome[Result] = field(default_factory=Future)


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
        """From any thread: a future resolved once the item's batch is done."""
        future: Future[Result] = Future()
        self._enqueue(Pending(item, future))
        return future

    def submit_waiting(self, item: Item) -> asyncio.Future[Result]:
        """From a running event loop: an asyncio future answered with the item's batch."""
        waiter: LoopWaiter[Result] = LoopWaiter(asyncio.get_running_loop())
        self._enqueue(Pending(item, waiter))
        return waiter.waiter

    def _enqueue(self, pending: Pending[Item, Result]) -> None:
        with self._wake:
            self._pending.append(pending)
            if self._running:
                self._wake.notify()
            else:
                self._running = True
                threading.Thread(target=self._run, name="gateway-intake", daemon=True).start()

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
            self._hand_back(batch)

    @staticmethod
    def _hand_back(batch: Sequence[Pending[Any, Any]]) -> None:
        """Once the batch is done: each event loop gets its callers' outcomes in one call."""
        by_loop: dict[asyncio.AbstractEventLoop, list[LoopWaiter[Any]]] = {}
        for pending in batch:
            if isinstance(pending.future, LoopWaiter):
                by_loop.setdefault(pending.future.loop, []).append(pending.future)
        for loop, waiters in by_loop.items():
            try:
                loop.call_soon_threadsafe(_deliver_all, waiters)
            except RuntimeError:  # the loop has closed: nobody waits (the items are stored)
                continue


def _deliver_all(waiters: list[LoopWaiter[Any]]) -> None:
    for waiter in waiters:
        waiter.deliver()
