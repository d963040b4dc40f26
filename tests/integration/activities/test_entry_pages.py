"""Partner entry pages and the coordinator's pages: a partner adds, edits and reports on its own
activity (errors next to the fields, PRG), a coordinator opens and closes periods, approves a
report and sees who has not reported; a closed period is corrected only with a reason; another
partner cannot edit; a gap matrix cell's drill-down lists what the cell counts; merge
suggestions are confirmed on a page and audited."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from httpx import Response

from itinera.domain.access import SYSTEM
from itinera.services.accounts import audit
from itinera.services.accounts.audit import AuditFilter
from itinera.services.accounts.users import create_organisation
from itinera.services.activities import reporting
from itinera.services.activities.gaps import gap_matrix
from itinera.storage.activities.organisation_alias_repository import OrganisationAliasRepository
from itinera.storage.database import Database

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ACTIVITY = {
    "title": "Mobile clinic",
    "sector": "Health",
    "pillar": "3",
    "country": "LBY",
    "adm1": "Tripoli",
    "start": "2025-01-01",
    "status": "ongoing",
    "aggregation": "sum",
}


def _token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found is not None
    return found.group(1)


def _post(client: TestClient, path: str, data: dict[str, str], form_page: str) -> Response:
    return client.post(
        path, data={**data, "csrf_token": _token(client, form_page)}, follow_redirects=False
    )


def test_partner_enters_reports_and_coordinator_reviews(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    client = anonymous_client
    partner = make_user(sqlite_db, "service_provider", "Alpha Aid")
    login(client, *partner)
    missing = _post(
        client, "/activities/new?lang=fr", {**ACTIVITY, "sector": ""}, "/activities/new"
    )
    assert missing.status_code == 422
    html = missing.text
    assert 'id="f-sector-error"' in html and "Secteur" in html
    assert reporting.list_activities(sqlite_db, SYSTEM) == []  # nothing half-written
    added = _post(client, "/activities/new?lang=en", ACTIVITY, "/activities/new")
    assert added.status_code == 303
    location = added.headers["location"]
    activity_id = int(re.search(r"/activities/(\d+)", location).group(1))  # type: ignore[union-attr]
    edited = _post(
        client,
        f"/activities/{activity_id}/edit",
        {**ACTIVITY, "title": "Mobile clinics"},
        f"/activities/{activity_id}/edit",
    )
    assert edited.status_code == 303
    assert reporting.get_activity(sqlite_db, SYSTEM, activity_id).title == "Mobile clinics"

    client.cookies.clear()
    other = make_user(sqlite_db, "service_provider", "Beta Relief")
    login(client, *other)
    assert client.get(f"/activities/{activity_id}/edit").status_code == 403
    refused = _post(
        client,
        f"/activities/{activity_id}/edit",
        {**ACTIVITY, "title": "taken over"},
        "/activities",
    )
    assert refused.status_code == 422
    assert reporting.get_activity(sqlite_db, SYSTEM, activity_id).title == "Mobile clinics"

    client.cookies.clear()
    login(client, *make_user(sqlite_db, "coordinator", "Coordination"))
    opened = _post(
        client, "/activities/periods", {"period": "2025-03", "state": "open"}, "/activities/periods"
    )
    assert opened.status_code == 303
    bad = _post(
        client, "/activities/periods", {"period": "March", "state": "open"}, "/activities/periods"
    )
    assert bad.status_code == 422 and 'id="f-period-error"' in bad.text
    periods = client.get("/activities/periods?lang=en").text
    assert "Alpha Aid" in periods  # has not reported in the open period

    client.cookies.clear()
    login(client, *partner)
    page = f"/activities/{activity_id}"
    negative = _post(client, f"{page}/figures", {"period": "2025-03", "reached": "-4"}, page)
    assert negative.status_code == 422
    assert 'id="f-reached-error"' in negative.text
    data = {"period": "2025-03", "targeted": "500", "reached": "120"}
    assert _post(client, f"{page}/figures", data, page).status_code == 303
    assert _post(client, f"{page}/submit", {"period": "2025-03"}, page).status_code == 303

    client.cookies.clear()
    login(client, *make_user(sqlite_db, "coordinator", "Coordination"))
    assert "Mobile clinics" in client.get("/activities/periods").text  # waiting for review
    review = {"period": "2025-03", "decision": "approve"}
    assert _post(client, f"{page}/review", review, page).status_code == 303
    closing = {"period": "2025-03", "state": "closed"}
    _post(client, "/activities/periods", closing, "/activities/periods")
    state = reporting.get_activity(sqlite_db, SYSTEM, activity_id).figures[0].state
    assert state.value == "approved"

    client.cookies.clear()
    login(client, *partner)
    correction = {"period": "2025-03", "reached": "130", "correction": "1", "reason": ""}
    no_reason = _post(client, f"{page}/figures", correction, page)
    assert no_reason.status_code == 422
    assert 'id="f-reason-error"' in no_reason.text
    correction["reason"] = "double-counted a day of February"
    assert _post(client, f"{page}/figures", correction, page).status_code == 303
    shown = client.get(f"{page}?lang=en").text
    assert "double-counted a day of February" in shown
    assert reporting.get_activity(sqlite_db, SYSTEM, activity_id).figures[0].reached == 130

    matrix = gap_matrix(sqlite_db, SYSTEM, "central-mediterranean", 2025)
    libya = next(r for r in matrix["countries"] if r["country"] == "LBY")
    assert libya["pillars"]["3"]["activities"] == 1
    listed = client.get("/activities?country=LBY&pillar=3&year=2025&lang=en").text
    assert listed.count('data-activity="') == 1
    api = client.get("/api/activities?country=LBY&pillar=3&year=2024").json()
    assert api == []  # not present in 2024


def test_coordinator_confirms_a_merge_on_the_page(
    anonymous_client: TestClient,
    sqlite_db: Database,
    make_user: Callable[..., tuple[str, str]],
    login: Callable[..., dict[str, str]],
) -> None:
    unicef = create_organisation(sqlite_db, SYSTEM, "UNICEF", "un").id or 0
    long = create_organisation(sqlite_db, SYSTEM, "United Nations Children's Fund", "un").id or 0
    with sqlite_db.transaction(write=True) as session:
        aliases = OrganisationAliasRepository(session)
        aliases.add("unicef", "UNICEF", unicef, "import")
        aliases.add("unicef mali", "Unicef Mali", unicef, "import")
        aliases.suggest(unicef, long, 90.0)
    client = anonymous_client
    login(client, *make_user(sqlite_db, "service_provider", "Alpha Aid"))
    assert client.get("/activities/organisations").status_code == 403
    client.cookies.clear()
    login(client, *make_user(sqlite_db, "coordinator", "Coordination"))
    page = client.get("/activities/organisations?lang=en").text
    assert "Unicef Mali" in page and "United Nations Children" in page
    suggestion = re.search(r'data-suggestion="(\d+)"', page).group(1)  # type: ignore[union-attr]
    done = _post(
        client,
        f"/activities/organisations/suggestions/{suggestion}",
        {"keep": str(long)},
        "/activities/organisations",
    )
    assert done.status_code == 303
    assert 'data-suggestion="' not in client.get("/activities/organisations").text
    again = _post(
        client,
        f"/activities/organisations/suggestions/{suggestion}",
        {"keep": str(unicef)},
        "/activities/organisations",
    )
    assert again.status_code == 404  # decided once, not twice
    with sqlite_db.transaction() as session:
        assert OrganisationAliasRepository(session).resolve("unicef mali") == long
    trail = audit.list_entries(sqlite_db, SYSTEM, AuditFilter(action="merge_organisations"))
    assert trail and trail[0].entity_id == str(long)
