"""Rate limiting of failed logins by client address (C8), instead of locking accounts.

Locking an account after a few failures let anyone lock a victim out (issue 10, item 13), so
accounts are never locked; the address that fails is slowed instead, by two limiters counting
*failed* logins in a sliding window: one per address (password spraying: one password against
many accounts) and one per address and account (guessing one account's password). Past a
limit, logins from that address (for that account) are refused with 429 before the password is
even checked (no Argon2 work for an attacker, no answer to learn from), until old failures
leave the window; the victim, from their own address, logs in as usual. Successful logins are
not counted, so a reception office whose caseworkers share one address is not blocked.

State is per server process (a dictionary under a lock); addresses are kept only while they
have failures inside the window, and never logged.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from itinera.config import Settings
from itinera.domain.errors import ItineraError

__all__ = ["LoginRateLimiter", "TooManyLoginsError", "account_limiter_for", "limiter_for"]


class TooManyLoginsError(ItineraError):
    """Too many failed logins from one client address: answered with 429 and Retry-After."""

    code = "too_many_logins"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"too many failed logins from this address; try again in {minutes} minute(s)",
            hint="wait, or ask an administrator",
        )
        self.retry_after = retry_after


class LoginRateLimiter:
    """At most ``max_failures`` failed logins per address within ``window`` seconds."""

    def __init__(
        self, max_failures: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float] | None:
        failures = self._failures.get(address)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[address]
            return None
        return failures

    def check(self, address: str) -> None:
        """Raise :class:`TooManyLoginsError` when ``address`` is over its limit."""
        if self.max_failures <= 0:
            return
        with self._lock:
            now = self._clock()
            failures = self._recent(address, now)
            if failures is not None and len(failures) >= self.max_failures:
                raise TooManyLoginsError(max(1, math.ceil(failures[0] + self.window - now)))

    def failed(self, address: str) -> None:
        if self.max_failures <= 0:
            return
        with self._lock:
            now = self._clock()
            failures = self._recent(address, now)
            if failures is None:
                failures = self._failures[address] = deque()
            failures.append(now)
            if len(failures) > self.max_failures:  # the limit is reached: older ones suffice
                failures.popleft()

    def tracked_addresses(self) -> int:
        with self._lock:
            return len(self._failures)


def limiter_for(request: Request) -> LoginRateLimiter:
    """The app's limiter, built once from settings."""
    state = request.app.state
    limiter: LoginRateLimiter | None = getattr(state, "login_limiter", None)
    if limiter is None:
        settings: Settings = state.settings
        limiter = state.login_limiter = LoginRateLimiter(
            settings.login_address_max_failures, settings.login_address_window_minutes * 60.0
        )
    return limiter


def account_limiter_for(request: Request) -> LoginRateLimiter:
    """The app's limiter of failures per (address, account), built once from settings."""
    state = request.app.state
    limiter: LoginRateLimiter | None = getattr(state, "account_login_limiter", None)
    if limiter is None:
        settings: Settings = state.settings
        limiter = state.account_login_limiter = LoginRateLimiter(
            settings.login_max_failures, settings.login_lockout_minutes * 60.0
        )
    return limiter
