"""Failed logins slow the client address, per address and per address and account; the
account itself is never locked (C8; issue 10, item 13)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from itinera.storage.database import Database
from itinera.web.login_limit import LoginRateLimiter, TooManyLoginsError

MakeUser = Callable[..., tuple[str, str]]


def _limit(client: TestClient, failures: int) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    state.settings = state.settings.model_copy(update={"login_address_max_failures": failures})
    state.login_limiter = None  # built again from the settings on the next login


def _post(client: TestClient, username: str, password: str, address: str = "testclient") -> int:
    other = TestClient(client.app, client=(address, 50000)) if address != "testclient" else client
    return other.post(
        "/api/auth/login", json={"username": username, "password": password}
    ).status_code


def test_password_spraying_from_one_address_gets_429_then_others_still_log_in(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    _limit(anonymous_client, 3)
    victims = [make_user(sqlite_db, "caseworker") for _ in range(4)]
    # three accounts, one wrong password each: no account reaches its own limit (5)
    assert [_post(anonymous_client, u, "Summer2026!") for u, _ in victims[:3]] == [401] * 3
    refused = anonymous_client.post(
        "/api/auth/login", json={"username": victims[3][0], "password": victims[3][1]}
    )
    assert refused.status_code == 429  # even the right password, from this address
    assert refused.json()["error"]["code"] == "too_many_logins"
    assert 0 < int(refused.headers["retry-after"]) <= 600
    assert "session" not in refused.headers.get("set-cookie", "")
    # another address is not affected, and the account itself is not locked
    assert _post(anonymous_client, *victims[3], address="192.0.2.7") == 200


def test_the_login_page_says_so_in_the_reader_s_language(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    _limit(anonymous_client, 1)
    username, password = make_user(sqlite_db, "caseworker")
    assert _post(anonymous_client, username, "wrong") == 401
    csrf = _csrf(anonymous_client)
    page = anonymous_client.post(
        "/login?lang=fr",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert page.status_code == 429
    assert "Trop de connexions échouées depuis cette adresse" in page.text


def test_successful_logins_are_not_counted_and_zero_turns_it_off(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    _limit(anonymous_client, 2)
    users = [make_user(sqlite_db, "caseworker") for _ in range(4)]
    assert [_post(anonymous_client, *u) for u in users] == [200] * 4  # one office, one address
    _limit(anonymous_client, 0)
    assert [_post(anonymous_client, users[0][0], "wrong") for _ in range(4)] == [401] * 4


def test_failures_leave_the_window() -> None:
    now = [1000.0]
    limiter = LoginRateLimiter(2, 60.0, clock=lambda: now[0])
    limiter.failed("a")
    now[0] += 30
    limiter.failed("a")
    with pytest.raises(TooManyLoginsError) as raised:
        limiter.check("a")
    assert raised.value.retry_after == 30
    limiter.check("b")
    now[0] += 31  # the first failure is out of the window
    limiter.check("a")
    now[0] += 60
    limiter.check("a")
    assert limiter.tracked_addresses() == 0  # nothing kept about an address once it is clean


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def test_guessing_one_account_slows_the_guesser_not_the_victim(
    anonymous_client: TestClient, sqlite_db: Database, make_user: MakeUser
) -> None:
    _limit(anonymous_client, 1000)  # only the per-account limit (5 by default) is in play
    anonymous_client.app.state.account_login_limiter = None  # type: ignore[attr-defined]
    username, password = make_user(sqlite_db, "caseworker")
    attacker = "198.51.100.9"
    assert [_post(anonymous_client, username, "guess", attacker) for _ in range(5)] == [401] * 5
    assert _post(anonymous_client, username, password, attacker) == 429
    assert _post(anonymous_client, username, password) == 200  # the victim, elsewhere
