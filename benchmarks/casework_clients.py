"""The load generator of ``casework_load.py``: one forked process per caseworker client.

Every client logs in as its own caseworker (``cw<n>``), runs one untimed workflow (warm-up),
waits for the others, then loops until the shared deadline: register a case, screen it, refer
it to the receiving organisation, read it back, read a seeded case. Only the answers' statuses
and latencies travel back to the parent.
"""

from __future__ import annotations

import multiprocessing
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import httpx

__all__ = ["generate"]

PASSWORD = "benchmark pass phrase"
CASE = {
    "given_name": "Amina",
    "family_name": "Testperson",
    "sex": "female",
    "date_of_birth": "2010-03-14",
    "nationality": "GIN",
    "arrival_place": "Melilla",
    "arrival_date": "2026-11-01",
    "contact": "+212 600 000 000",
    "document_numbers": ["P1"],
    "consent": {
        "purposes": ["registration", "screening", "referral"],
        "child_assent": True,
        "child_decision": "guardian-consent",
    },
}
SCREENING = {"answers": {"travelling_with": "alone"}}
KINDS = ("screen", "refer", "read own", "read seeded")


def _workflow(
    http: httpx.Client,
    receiver_id: int,
    seeded_id: str,
    latencies: list[float],
    failed: Counter[str],
) -> int:
    """One workflow: the number of cases registered (1, or 0 if refused); each request
    answered with an error is counted in ``failed`` by kind and status."""

    def send(method: str, path: str, body: Any = None) -> httpx.Response:
        started = time.perf_counter()
        answer = http.request(method, path, json=body)
        latencies.append(time.perf_counter() - started)
        return answer

    answer = send("POST", "/api/cases", CASE)
    if answer.status_code != 201:
        failed[f"register: {answer.status_code}"] += 1
        return 0
    case_id = answer.json()["id"]
    referral = {
        "case_id": case_id,
        "to_organisation_id": receiver_id,
        "pathway": "child-protection",
        "urgency": "immediate",
        "reason": "alone",
    }
    answers = [
        send("POST", f"/api/cases/{case_id}/screenings", SCREENING),
        send("POST", "/api/referrals", referral),
        send("GET", f"/api/cases/{case_id}?purpose=referral"),
        send("GET", f"/api/cases/{seeded_id}"),
    ]
    for kind, answer in zip(KINDS, answers, strict=True):
        if answer.status_code >= 400:
            failed[f"{kind}: {answer.status_code}"] += 1
    return 1


def _client(
    number: int,
    base: str,
    receiver_id: int,
    seeded_ids: Sequence[str],
    ready: Any,
    go: Any,
    deadline: Any,
    results: Any,
) -> None:
    failed: Counter[str] = Counter()
    outcome: dict[str, Any] = {"workflows": 0, "registered": 0, "latencies": [], "failed": failed}
    try:
        rng = random.Random(number)
        with httpx.Client(base_url=base, timeout=300) as http:
            login = {"username": f"cw{number}", "password": PASSWORD}
            token = http.post("/api/auth/login", json=login).raise_for_status().json()["token"]
            http.headers["Authorization"] = f"Bearer {token}"
            outcome["registered"] += _workflow(
                http, receiver_id, rng.choice(seeded_ids), [], failed
            )
            ready.wait(timeout=600)
            go.wait()
            while time.monotonic() < deadline.value:
                seeded_id = rng.choice(seeded_ids)
                outcome["registered"] += _workflow(
                    http, receiver_id, seeded_id, outcome["latencies"], failed
                )
                outcome["workflows"] += 1
    except Exception as error:  # the parent names it; the barrier must not hang
        ready.abort()
        outcome["failure"] = f"client {number}: {type(error).__name__}: {error}"
    results.put(outcome)


def generate(
    base: str,
    clients: int,
    seconds: float,
    receiver_id: int,
    seeded_ids: Sequence[str],
    on_start: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Run the clients (forked processes) for ``seconds``: workflows done, errors, cases
    registered (warm-up included), the wall time from the start to the last client's end,
    and the median and 95th percentile of the request latencies."""
    context = multiprocessing.get_context("fork")
    ready, go = context.Barrier(clients + 1), context.Event()
    deadline, results = context.Value("d", 0.0), context.Queue()
    processes = [
        context.Process(
            target=_client,
            args=(n, base, receiver_id, seeded_ids, ready, go, deadline, results),
            daemon=True,
        )
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=600)
    except threading.BrokenBarrierError:
        raise RuntimeError(results.get(timeout=60).get("failure", "a client failed")) from None
    on_start()
    started = time.monotonic()
    deadline.value = started + seconds
    go.set()
    outcomes = [results.get(timeout=seconds + 600) for _ in processes]
    elapsed = time.monotonic() - started
    for process in processes:
        process.join(30)
    failures = [o["failure"] for o in outcomes if "failure" in o]
    if failures:
        raise RuntimeError("; ".join(failures[:3]))
    latencies = sorted(x for o in outcomes for x in o.pop("latencies"))
    failed: Counter[str] = sum((o["failed"] for o in outcomes), Counter())
    return {
        "workflows": sum(o["workflows"] for o in outcomes),
        "registered": sum(o["registered"] for o in outcomes),
        "errors": sum(failed.values()),
        "failed": dict(failed),
        "seconds": elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }
