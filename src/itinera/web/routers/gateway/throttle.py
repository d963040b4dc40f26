"""Per-address limits of the gateway's public endpoints (per server process).

Two sliding windows reuse the login limiter's counter (``web/login_limit.py``): submissions per
client address (a flood of forms), and *failed* tracking-code lookups per address, so that
guessing codes costs an attacker 30 tries per 10 minutes against 2^64 possible codes.
Addresses are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from fastapi import Request
from fastapi.responses import JSONResponse

from itinera.domain.gateway_pow import SpentChallenges, check_proof, new_challenge
from itinera.web.errors import error_body
from itinera.web.login_limit import LoginRateLimiter, TooManyLoginsError

__all__ = [
    "CHANNEL_MESSAGES",
    "LOOKUP_FAILURES",
    "SOLVED_SUBMISSIONS",
    "SUBMISSIONS",
    "address_of",
    "issue_challenge",
    "limiter",
    "proved",
    "too_many",
]

SUBMISSIONS = ("gateway_submissions", 20, 600.0)
"""At most 20 submissions per address per 10 minutes (a family at one phone stays well under)."""
SOLVED_SUBMISSIONS = ("gateway_solved_submissions", 120, 600.0)
"""With a proof of work (JavaScript ran), 120 per address per 10 minutes: people sharing a
camp's or a hub's address are not turned away, and each message cost its sender real work."""
LOOKUP_FAILURES = ("gateway_lookups", 30, 600.0)
"""At most 30 unknown tracking codes per address per 10 minutes."""
CHANNEL_MESSAGES = ("gateway_channel_messages", 600, 60.0)
"""At most 600 inbound messages per channel per minute (an adapter gone wild, or a flood)."""


def limiter(request: Request, which: tuple[str, int, float]) -> LoginRateLimiter:
    """The app's limiter of that name, built once."""
    name, limit, window = which
    found: LoginRateLimiter | None = getattr(request.app.state, name, None)
    if found is None:
        found = LoginRateLimiter(limit, window)
        setattr(request.app.state, name, found)
    return found


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def too_many(error: TooManyLoginsError) -> JSONResponse:
    return JSONResponse(
        error_body("too_many_requests", "too many requests from this address; try again later"),
        status_code=429,
        headers={"Retry-After": str(error.retry_after)},
    )


def _proof_key(request: Request) -> bytes:
    secret = request.app.state.settings.secret_key.encode()
    return hmac.new(secret, b"gateway proof of work", hashlib.sha256).digest()


def issue_challenge(request: Request) -> str:
    """A fresh proof-of-work challenge for a form (the page's script solves it)."""
    return new_challenge(_proof_key(request), time.time())


def proved(request: Request, form: dict[str, str]) -> bool:
    """True when the form carries a good, fresh, unspent proof of work."""
    challenge, nonce = form.get("pow_challenge", ""), form.get("pow_nonce", "")
    if (
        not challenge
        or not nonce
        or not check_proof(_proof_key(request), challenge, nonce, time.time())
    ):
        return False
    spent: SpentChallenges | None = getattr(request.app.state, "gateway_spent_proofs", None)
    if spent is None:
        spent = request.app.state.gateway_spent_proofs = SpentChallenges()
    return spent.spend(challenge, time.time())
