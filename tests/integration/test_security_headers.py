"""Security headers on every response, no inline script in templates, a local /api/docs,
and a 500 that logs no message (issue 10, items 3 and 14)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "itinera" / "web" / "templates"
EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def _assert_headers(answer: object, where: str) -> None:
    headers = answer.headers  # type: ignore[attr-defined]
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, (where, name, headers.get(name))
    policy = headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (where, policy)
    assert "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy, (where, policy)


def test_every_get_route_answers_with_the_security_headers(client: TestClient) -> None:
    paths = sorted(
        {
            r.path
            for r in client.app.routes  # type: ignore[attr-defined]
            if isinstance(r, APIRoute | Route)
            and "GET" in (r.methods or set())
            and "{" not in r.path
        }
    )
    assert len(paths) > 30
    extra = ["/static/js/routemap.js", "/no-such-page", "/api/routes/no-such-route", "/api/docs"]
    for path in [*paths, *extra]:
        _assert_headers(client.get(path, follow_redirects=False), path)
    _assert_headers(client.post("/api/auth/login", json={}), "login 422")
    _assert_headers(client.put("/api/routes", json={}), "405")


def test_templates_hold_no_inline_script_or_event_handler() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text("utf-8")
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            attributes, body = match.groups()
            assert "src=" in attributes or 'type="application/json"' in attributes, template
            assert 'type="application/json"' in attributes or not body.strip(), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "javascript:" not in text, template


def test_api_docs_come_from_local_files(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "<script>" not in page.text and "cdn" not in page.text.lower()


def test_an_unexpected_error_answers_500_with_headers_and_logs_no_message(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Amina Testperson 2010-03-14"

    @client.app.get("/api/test-explodes")  # type: ignore[attr-defined]
    def explode() -> None:
        raise RuntimeError(f"cannot parse {secret}")

    with caplog.at_level(logging.ERROR):
        answer = client.get("/api/test-explodes")
    assert answer.status_code == 500
    assert answer.json() == {"error": {"code": "internal_error", "message": "internal error"}}
    _assert_headers(answer, "500")
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert "RuntimeError" in logged and secret not in logged
