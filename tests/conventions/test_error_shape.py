"""The JSON error shape is pinned: every refusal is {"error": {code, message[, fields]}}."""

from __future__ import annotations

from fastapi.testclient import TestClient

from itinera.bootstrap import build_app
from itinera.config import Settings


def test_error_shape_for_unknown_path_bad_query_and_bad_method(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", environment="test"))
    with TestClient(app) as client:
        for response in (
            client.get("/api/nothing-here"),
            client.get("/api/routes", params={"lang": "xx"}),
            client.patch("/api/routes"),
        ):
            body = response.json()
            assert response.status_code in (404, 405, 422)
            assert list(body) == ["error"]
            assert set(body["error"]) <= {"code", "message", "fields"}
            assert isinstance(body["error"]["message"], str) and body["error"]["message"]
