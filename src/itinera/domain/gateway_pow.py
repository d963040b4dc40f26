"""A light proof of work for the gateway's public form, where JavaScript runs.

The server issues a challenge ``<unix time>.<bits>.<random>.<mac>``, signed with a key only it
holds, so it keeps no state until a proof comes back. The browser looks for a nonce such that
SHA-256 of ``challenge:nonce`` starts with ``bits`` zero bits (about 2^bits hashes: a fraction
of a second on a cheap phone, real work for a flood). A proof is good for 10 minutes and once.
Without JavaScript no proof is sent and the form still works under the baseline limits; a good
proof buys a wider per-address allowance (many people share one address in a camp or a hub).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict

__all__ = ["DIFFICULTY_BITS", "SpentChallenges", "check_proof", "new_challenge", "solve"]

DIFFICULTY_BITS = 16
MAX_AGE_SECONDS = 600
_MAX_NONCE = 20


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:24]


def new_challenge(key: bytes, now: float, bits: int = DIFFICULTY_BITS) -> str:
    body = f"{int(now)}.{bits}.{secrets.token_hex(8)}"
    return f"{body}.{_mac(key, body)}"


def _zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def _digest(challenge: str, nonce: str) -> bytes:
    return hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()


def check_proof(key: bytes, challenge: str, nonce: str, now: float) -> bool:
    """True when the challenge is ours, fresh, and the nonce does the work it asks."""
    parts = challenge.split(".")
    if len(parts) != 4 or not nonce.isascii() or not nonce.isdigit() or len(nonce) > _MAX_NONCE:
        return False
    issued, bits, _, mac = parts
    if not hmac.compare_digest(mac, _mac(key, ".".join(parts[:3]))):
        return False
    if not issued.isdigit() or not bits.isdigit():
        return False
    if not -60 <= now - int(issued) <= MAX_AGE_SECONDS:
        return False
    return _zero_bits(_digest(challenge, nonce)) >= int(bits)


def solve(challenge: str) -> str:
    """The first nonce that answers a challenge (what the browser's script does; tests)."""
    bits = int(challenge.split(".")[1])
    nonce = 0
    while _zero_bits(_digest(challenge, str(nonce))) < bits:
        nonce += 1
    return str(nonce)


class SpentChallenges:
    """Challenges already used, kept as long as they could still be accepted (bounded)."""

    def __init__(self, limit: int = 100_000) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._limit = limit

    def spend(self, challenge: str, now: float) -> bool:
        """False when the challenge was spent before; records it otherwise."""
        while self._seen and (
            len(self._seen) >= self._limit
            or next(iter(self._seen.values())) < now - MAX_AGE_SECONDS - 60
        ):
            self._seen.popitem(last=False)
        if challenge in self._seen:
            return False
        self._seen[challenge] = now
        return True
