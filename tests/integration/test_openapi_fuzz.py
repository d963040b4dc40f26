"""Schemathesis against our own OpenAPI schema: no request, however odd, is a server error,
and every answer matches the schema (body and content type of each documented status).

Every operation is called with generated inputs as an anonymous caller and as a logged-in user
of every role of the access matrix (``domain/access.py``: a new role is fuzzed without
touching this file), bounded by ``max_examples`` so that CI stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest
import requests
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from requests.structures import CaseInsensitiveDict
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from schemathesis.specs.openapi.schemas import BaseOpenAPISchema

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.access import Role
from itinera.storage.database import Database

ROLES = ["anonymous", *(role.value for role in Role if role is not Role.PUBLIC)]
CHECKS = (not_a_server_error, response_schema_conformance, content_type_conformance)


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from itinera.services.setup import initialise

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    settings = Settings(
        database_url=f"sqlite:///{path}",
        environment="test",
        key_file=tmp_path_factory.mktemp("keys") / "field.key",
    )
    initialise(settings)
    yield build_app(settings)


@pytest.fixture(scope="module")
def fuzz_client(fuzz_app: object) -> Iterator[TestClient]:
    """One client for the module: the app starts once, not once per generated case."""
    with TestClient(fuzz_app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        yield client


@pytest.fixture(scope="module")
def _logged_in() -> dict[str, dict[str, str]]:
    return {}


@pytest.fixture
def headers_for(
    fuzz_app: object,
    _logged_in: dict[str, dict[str, str]],
    make_user: Callable[..., tuple[str, str]],
    login: Callable[[TestClient, str, str], dict[str, str]],
) -> dict[str, dict[str, str]]:
    """Bearer headers per role, logged in once per module."""
    if not _logged_in:
        database: Database = fuzz_app.state.database  # type: ignore[attr-defined]
        _logged_in["anonymous"] = {}
        with TestClient(fuzz_app) as client:  # type: ignore[arg-type]
            for role in ROLES[1:]:
                username, password = make_user(database, role, "Fuzzing Organisation")
                _logged_in[role] = login(client, username, password)
    return _logged_in


# The schema does not depend on the data: read it from an app over an empty in-memory store.
schema: BaseOpenAPISchema = schemathesis.from_dict(
    build_app(Settings(database_url="sqlite://", environment="test")).openapi(),
    force_schema_version="30",  # FastAPI writes 3.1; schemathesis 3.x reads it as 3.0
)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=3,  # x 9 roles x 112 operations (4 examples: 6 min at load average 12)
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_answers_a_server_error(
    case: schemathesis.Case,
    role: str,
    fuzz_client: TestClient,
    headers_for: dict[str, dict[str, str]],
) -> None:
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers_for[role])
    fuzz_client.cookies.clear()  # each case as a fresh caller: only its role's bearer token
    response = fuzz_client.request(**kwargs)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} answered {response.status_code}: "
        f"{response.text[:300]}\nreproduce: {kwargs}"
    )
    case.validate_response(_as_requests(response), checks=CHECKS)


def _as_requests(response: httpx.Response) -> requests.Response:
    """The test client's answer in the shape schemathesis 3 checks (a ``requests`` one)."""
    converted = requests.Response()
    converted.status_code = response.status_code
    converted.headers = CaseInsensitiveDict(response.headers)
    converted._content = response.content
    converted.encoding = response.encoding or "utf-8"  # never guessed from the bytes
    converted.url = str(response.request.url)
    converted.request = requests.Request(
        response.request.method, str(response.request.url), headers=dict(response.request.headers)
    ).prepare()
    converted.elapsed = timedelta(0)
    return converted
