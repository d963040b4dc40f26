"""The gateway's light proof of work: only our fresh challenges, only real work, only once; and
the browser's script (run by Node when present) finds the same nonce as the server's check."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from itinera.domain.gateway_pow import SpentChallenges, check_proof, new_challenge, solve

KEY = b"k" * 32
NOW = 1_764_630_000.0
SCRIPT = Path(__file__).parents[3] / "src/itinera/web/static/js/gateway-proof.js"


def test_a_solved_challenge_is_accepted() -> None:
    challenge = new_challenge(KEY, NOW, bits=10)
    assert check_proof(KEY, challenge, solve(challenge), NOW + 5)


def test_forged_stale_or_lazy_proofs_are_refused() -> None:
    challenge = new_challenge(KEY, NOW, bits=10)
    nonce = solve(challenge)
    assert not check_proof(b"x" * 32, challenge, nonce, NOW)  # not our key
    easier = challenge.replace(".10.", ".1.", 1)  # lowering the work breaks the signature
    assert not check_proof(KEY, easier, "0", NOW)
    assert not check_proof(KEY, challenge, nonce, NOW + 601)  # stale
    assert not check_proof(KEY, challenge, nonce, NOW - 120)  # from the future
    lazy = next(str(n) for n in range(10_000) if not check_proof(KEY, challenge, str(n), NOW))
    assert not check_proof(KEY, challenge, lazy, NOW)
    for bad in ("", "abc", "1" * 21, "١٢"):
        assert not check_proof(KEY, challenge, bad, NOW)
    assert not check_proof(KEY, "not.a.challenge", "0", NOW)


def test_a_challenge_is_spent_once() -> None:
    spent = SpentChallenges(limit=3)
    assert spent.spend("a", NOW) and not spent.spend("a", NOW + 1)
    for name in "bcd":
        assert spent.spend(name, NOW)
    assert spent.spend("a", NOW + 2)  # forgotten past the bound, and stale by then anyway


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_browser_script_finds_the_servers_nonce() -> None:
    challenge = new_challenge(KEY, NOW, bits=12)
    runner = f"""
    const fields = {{pow_challenge: {{value: {json.dumps(challenge)}}}, pow_nonce: {{value: ""}}}};
    global.document = {{querySelector: (s) =>
        s.includes("pow_challenge") ? fields.pow_challenge : fields.pow_nonce}};
    const queue = []; global.setTimeout = (f) => queue.push(f);
    eval(require("fs").readFileSync({json.dumps(str(SCRIPT))}, "utf8"));
    while (queue.length) queue.shift()();
    process.stdout.write(fields.pow_nonce.value);
    """
    found = subprocess.run(["node", "-e", runner], capture_output=True, text=True, check=True)
    assert found.stdout == solve(challenge)
    assert check_proof(KEY, challenge, found.stdout, NOW)
