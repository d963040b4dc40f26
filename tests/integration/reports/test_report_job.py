"""A route report as a job (issue 10, item 7): 202 and the job to poll, whose result is the
report's URL, answered from the store; an anonymous caller cannot start jobs."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from tests.integration.reports.conftest import ROUTE

URL = f"/api/routes/{ROUTE}/report"
PARAMS = {"from": "2024-02", "to": "2024-03", "format": "html", "lang": "fr", "wait": "false"}


def test_a_report_job_renders_and_stores_the_report(analyst: TestClient) -> None:
    answer = analyst.get(URL, params=PARAMS)
    assert answer.status_code == 202, answer.text
    assert answer.json()["kind"] == "report.route"
    deadline = time.monotonic() + 120
    while (job := analyst.get(answer.headers["location"]).json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["status"] == "done", job
    assert (job["done"], job["total"], job["percent"]) == (1, 1, 100)
    href = job["result"]["href"]
    assert href.startswith(URL) and "lang=fr" in href and "format=html" in href
    report = analyst.get(href)
    assert report.status_code == 200 and report.headers["x-itinera-report"] == "stored"
    assert 'lang="fr"' in report.text
    page = analyst.get(f"/jobs/{job['id']}?lang=fr")
    assert "Route report" not in page.text and href.replace("&", "&amp;") in page.text


def test_anonymous_callers_get_the_report_but_no_job(public: TestClient) -> None:
    assert public.get(URL, params=PARAMS).status_code in (401, 403)
    answer = public.get(URL, params={**PARAMS, "wait": "true"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
