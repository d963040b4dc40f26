"""Every GET route of the API answers a media type its OpenAPI operation declares, and every
datetime in a JSON answer carries its time zone (issue 10, item 14). Run on the real-data
database, as an actor holding every role, with each route's ``format`` values tried."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from itinera.domain.access import Actor, Role
from itinera.web.deps import current_actor

EVERY_ROLE = Actor("all-roles", frozenset(Role), 1, 1)
SAMPLES = {
    "route_id": "central-mediterranean",
    "batch_id": "1",
    "point_id": "1",
    "case_id": "C-0000-0000-0000",
    "referral_id": "R-0000-0000-0000",
}
SKIP = {"/api/docs"}
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ZONED = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")  # the Swagger page itself (HTML)


@pytest.fixture
def superuser(app_for: TestClient) -> Iterator[TestClient]:
    app_for.app.dependency_overrides[current_actor] = lambda: EVERY_ROLE  # type: ignore[attr-defined]
    yield app_for
    app_for.app.dependency_overrides.pop(current_actor, None)  # type: ignore[attr-defined]


def _variants(operation: dict[str, Any]) -> list[dict[str, str]]:
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "format" and parameter["in"] == "query":
            schema = parameter["schema"]
            options = schema.get("enum") or [
                v for s in schema.get("anyOf", []) for v in s.get("enum", [])
            ]
            return [{"format": v} for v in options] or [{}]
    return [{}]


def test_every_get_answers_a_declared_media_type(superuser: TestClient) -> None:
    schema = superuser.get("/openapi.json").json()
    checked, undeclared, naive = 0, [], []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or path in SKIP or "{username}" in path:
            continue
        url = path.format(**SAMPLES) if "{" in path else path
        for params in _variants(operation):
            answer = superuser.get(url, params=params)
            if answer.status_code != 200:
                continue
            media = answer.headers["content-type"].split(";")[0].strip()
            declared = operation["responses"].get("200", {}).get("content", {})
            checked += 1
            if media not in declared:
                undeclared.append((path, params, media, sorted(declared)))
            if media.endswith("json"):
                naive += [(path, v) for v in _datetimes(answer.json()) if not ZONED.search(v)]
    assert checked > 20
    assert not undeclared
    assert not naive, naive[:10]


def _datetimes(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _datetimes(value)
    elif isinstance(data, list):
        for value in data:
            yield from _datetimes(value)
    elif isinstance(data, str) and DATETIME.match(data):
        yield data
