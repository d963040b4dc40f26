"""The movement-data API: upload, report, issues CSV, observations, sources, discrepancies."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

DATA = Path(__file__).resolve().parents[2] / "data" / "movements"


def upload(client: TestClient, name: str, **form: str) -> dict[str, object]:
    with (DATA / name).open("rb") as handle:
        answer = client.post(
            "/api/imports?wait=true",
            files={"file": (name, handle, "text/csv")},
            data={"reader": "hxl", **form},
        )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_upload_returns_the_report_and_the_figures_are_served(client: TestClient) -> None:
    report = upload(client, "hxl-negative-count.csv", source="api-test")
    assert (report["status"], report["rows_rejected"], report["observations"]) == ("imported", 1, 5)
    batch = client.get(f"/api/imports/{report['batch_id']}").json()
    assert batch["unmapped_routes"] == {"English Channel to the UK": 1}
    issues = client.get(f"/api/imports/{report['batch_id']}/issues.csv")
    assert issues.headers["content-type"].startswith("text/csv")
    lines = issues.text.splitlines()
    assert lines[0] == "file,row,column,tag,value,severity,message,suggestion"
    assert lines[1].startswith("hxl-negative-count.csv,5,dead,,-1,error,")
    page = client.get(
        "/api/observations", params={"indicator": "dead", "route_id": "central-mediterranean"}
    ).json()
    assert page["total"] == 2 and {i["value"] for i in page["items"]} == {12.0, 4.0}
    [source] = client.get("/api/sources").json()
    assert source["key"] == "api-test" and source["current_observations"] == 5


def test_discrepancies_show_where_sources_differ(client: TestClient) -> None:
    upload(client, "hxl-tag-row-second.csv", source="one")
    upload(client, "hxl-tag-row-first-newer-vintage.csv", source="two")
    found = client.get("/api/discrepancies", params={"indicator": "dead"}).json()
    assert [(d["period"], d["values"]) for d in found] == [("2023-05", {"one": 12.0, "two": 14.0})]
    assert found[0]["headline_source"] == "one"


def test_bad_requests_name_the_field(client: TestClient) -> None:
    with (DATA / "hxl-tag-row-second.csv").open("rb") as handle:
        answer = client.post(
            "/api/imports?wait=true", files={"file": ("x.csv", handle)}, data={"reader": "nonsense"}
        )
    assert answer.status_code == 422 and "reader" in answer.text
    assert client.get("/api/observations", params={"from": "May"}).status_code == 422
    assert client.get("/api/imports/999").status_code == 404


def test_anonymous_visitors_cannot_import(anonymous_client: TestClient) -> None:
    with (DATA / "hxl-tag-row-second.csv").open("rb") as handle:
        answer = anonymous_client.post(
            "/api/imports?wait=true", files={"file": ("x.csv", handle)}, data={"reader": "hxl"}
        )
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"


def test_a_batch_removed_through_the_api_and_the_page_is_gone(client: TestClient) -> None:
    first = upload(client, "hxl-tag-row-second.csv", source="to-remove")
    assert client.delete(f"/api/imports/{first['batch_id']}").status_code == 204
    assert client.get(f"/api/imports/{first['batch_id']}").status_code == 404
    assert client.delete(f"/api/imports/{first['batch_id']}").status_code == 404
    second = upload(client, "hxl-tag-row-second.csv", source="to-remove")
    assert second["status"] == "imported"  # not "unchanged": the first batch is gone
    page = client.get(f"/imports/{second['batch_id']}")
    assert "Remove this batch" in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        f"/imports/{second['batch_id']}/remove",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert client.get(f"/api/imports/{second['batch_id']}").status_code == 404
