"""The contact form with and without JavaScript: without a proof of work the baseline limit of
20 messages per address holds; with good proofs (what the page's script sends) people sharing
one address can send more, and a proof counts once."""

from __future__ import annotations

import re
import secrets

from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.gateway_pow import solve


def _form(world: GatewayWorld) -> tuple[str, str]:
    page = world.client.get("/help/fr/contact").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    challenge = re.search(r'name="pow_challenge" value="([^"]+)"', page)
    assert token and challenge and "gateway-proof.js" in page
    return token.group(1), challenge.group(1)


def _send(world: GatewayWorld, proof: tuple[str, str] | None = None) -> int:
    token, challenge = _form(world)
    form = {"csrf_token": token, "kind": "question", "text": f"q {secrets.token_hex(3)}"}
    if proof is not None:
        form |= {"pow_challenge": proof[0], "pow_nonce": proof[1]}
    return world.client.post("/help/fr/contact", data=form).status_code


def test_proofs_widen_the_allowance_and_count_once(world: GatewayWorld) -> None:
    statuses = []
    for _ in range(25):
        _, challenge = _form(world)
        statuses.append(_send(world, (challenge, solve(challenge))))
    assert statuses == [201] * 25
    _, challenge = _form(world)
    nonce = solve(challenge)
    assert _send(world, (challenge, nonce)) == 201
    # the same proof again counts as no proof: the baseline window (20) is already used up below
    statuses = [_send(world) for _ in range(20)]
    assert statuses == [201] * 20
    assert _send(world, (challenge, nonce)) == 429
    assert _send(world) == 429
    assert _send(world, (challenge, "0")) == 429  # a wrong nonce is no proof either
