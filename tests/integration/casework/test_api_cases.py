"""The casework API with real accounts, on SQLite and PostgreSQL: scoping, need-to-know,
no plaintext at rest, no personal data in logs, clear errors with nothing stored."""

from __future__ import annotations

import base64
import glob
import logging
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.engines.crypto import generate_key
from itinera.storage.casework.tables import cases, referrals
from itinera.storage.database import Database

from .conftest import new_user

PERSONAL = ["Amina", "Testperson", "2010-03-14", "+212 600 000 000", "P1234567"]
CASE = {
    "given_name": "Amina",
    "family_name": "Testperson",
    "sex": "female",
    "date_of_birth": "2010-03-14",
    "nationality": "GIN",
    "arrival_place": "Melilla",
    "arrival_date": "2026-11-01",
    "contact": "+212 600 000 000",
    "document_numbers": ["P1234567"],
    "consent": {
        "purposes": ["registration", "screening", "referral"],
        "child_assent": True,
        "child_decision": "guardian-consent",
    },
}


@dataclass
class Api:
    client: TestClient
    db: Database
    worker: dict[str, str]
    receiver: dict[str, str]
    outsider: dict[str, str]
    receiver_org: int


@pytest.fixture(scope="module")
def api(casework_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    key = base64.b64encode(generate_key()).decode()
    unused = tmp_path_factory.mktemp("keys") / "unused.key"
    settings = Settings(
        database_url=casework_database_url, environment="test", field_key=key, key_file=unused
    )
    db = Database(casework_database_url)
    suffix = secrets.token_hex(3)
    users = [
        new_user(db, "caseworker", f"Reception NGO {suffix}"),
        new_user(db, "service_provider", f"Child Protection Service {suffix}"),
        new_user(db, "caseworker", f"Unrelated Agency {suffix}"),
    ]
    with TestClient(build_app(settings, database=db)) as client:
        headers = []
        for username, password in users:
            answer = client.post(
                "/api/auth/login", json={"username": username, "password": password}
            )
            assert answer.status_code == 200, answer.text
            headers.append({"Authorization": f"Bearer {answer.json()['token']}"})
        client.cookies.clear()
        me = client.get("/api/auth/me", headers=headers[1]).json()
        yield Api(
            client, db, headers[0], headers[1], headers[2], receiver_org=me["organisation_id"]
        )
    db.dispose()


def _count(db: Database, table: object) -> int:
    with db.transaction() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _register_screen_refer(api: Api) -> tuple[str, str]:
    answer = api.client.post("/api/cases", json=CASE, headers=api.worker)
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["id"]
    screened = api.client.post(
        f"/api/cases/{case_id}/screenings",
        headers=api.worker,
        json={"answers": {"travelling_with": "alone"}},
    )
    assert screened.status_code == 201, screened.text
    assert "unaccompanied-separated-child" in [f["code"] for f in screened.json()["flags"]]
    referred = api.client.post(
        "/api/referrals",
        headers=api.worker,
        json={
            "case_id": case_id,
            "to_organisation_id": api.receiver_org,
            "pathway": "anti-trafficking",
            "urgency": "immediate",
            "reason": "controlled",
        },
    )
    assert referred.status_code == 201, referred.text
    return case_id, referred.json()["id"]


def test_another_organisation_gets_404_for_a_case_that_exists(api: Api) -> None:
    case_id, _ = _register_screen_refer(api)
    theirs = api.client.get(f"/api/cases/{case_id}", headers=api.outsider)
    guessed = api.client.get("/api/cases/C-0000-0000-0000", headers=api.outsider)
    assert theirs.status_code == guessed.status_code == 404
    assert theirs.json()["error"]["code"] == guessed.json()["error"]["code"] == "not_found"
    assert api.client.get(f"/api/cases/{case_id}", headers=api.worker).status_code == 200


def test_the_receiver_sees_only_the_shared_fields(api: Api) -> None:
    case_id, referral_id = _register_screen_refer(api)
    inbox = api.client.get("/api/referrals/inbox", headers=api.receiver).json()
    assert referral_id in [item["id"] for item in inbox]
    seen = api.client.get(f"/api/referrals/{referral_id}", headers=api.receiver).json()
    # anti-trafficking shares: given_name, sex, age_group, nationality, contact, flags
    assert set(seen["case"]) == {
        "id",
        "given_name",
        "sex",
        "age_group",
        "nationality",
        "contact",
        "flags",
    }
    assert "Testperson" not in str(seen) and "P1234567" not in str(seen)
    # a service provider's role does not read case files at all (refused before any lookup)
    refused = api.client.get(f"/api/cases/{case_id}", headers=api.receiver)
    assert refused.status_code == 403 and case_id not in refused.text
    moved = api.client.post(
        f"/api/referrals/{referral_id}/transitions", headers=api.receiver, json={"to": "declined"}
    )
    assert moved.status_code == 422 and moved.json()["error"]["fields"][0]["field"] == "reason"
    wrong = api.client.post(
        f"/api/referrals/{referral_id}/transitions", headers=api.receiver, json={"to": "completed"}
    )
    assert wrong.status_code == 409 and "'sent' cannot become 'completed'" in wrong.text


def test_no_plaintext_at_rest_and_no_personal_data_in_logs(
    api: Api, casework_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        case_id, referral_id = _register_screen_refer(api)
        api.client.get(f"/api/cases/{case_id}", headers=api.worker)
        api.client.get(f"/api/referrals/{referral_id}", headers=api.receiver)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert not [word for word in PERSONAL if word in logged]
    if make_url(casework_database_url).get_backend_name() == "sqlite":
        path = make_url(casework_database_url).database
        assert path
        stored = b"".join(Path(p).read_bytes() for p in glob.glob(f"{path}*"))  # db, -wal, -shm
        assert len(stored) > 10_000
    else:
        dump = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1]
        url = make_url(casework_database_url).set(drivername="postgresql")
        stored = subprocess.run(
            [dump, "--data-only", url.render_as_string(hide_password=False)],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
        assert case_id.encode() in stored  # the dump holds the case, only not its plaintext
    for word in PERSONAL:
        assert word.encode() not in stored, f"{word!r} found in plaintext"
        assert word.encode("utf-16-le") not in stored


def test_concurrent_edits_lose_no_update(api: Api) -> None:
    case_id = api.client.post("/api/cases", json=CASE, headers=api.worker).json()["id"]
    first = api.client.patch(
        f"/api/cases/{case_id}", headers=api.worker, json={"version": 1, "contact": "+212 611"}
    )
    second = api.client.patch(
        f"/api/cases/{case_id}", headers=api.worker, json={"version": 1, "arrival_place": "Nador"}
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    assert "changed by someone else since version 1" in second.json()["error"]["message"]
    now = api.client.get(f"/api/cases/{case_id}", headers=api.worker).json()
    assert (now["contact"], now["arrival_place"]) == ("+212 611", "Melilla")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"given_name": "A" * 101}, "given_name"),
        ({"date_of_birth": "14/03/2010"}, "date_of_birth"),
        ({"sex": "f"}, "sex"),
        ({"nationality": "QQQ"}, "nationality"),
        ({"consent": {"purposes": ["marketing"]}}, "consent.purposes[0]"),
        ({"document_numbers": "P1234567"}, "document_numbers"),
        ({"favourite_food": "rice"}, "favourite_food"),
        ({"consent": {"purposes": ["screening"]}}, ""),
    ],
)
def test_bad_input_answers_a_named_error_and_stores_nothing(
    api: Api, change: dict[str, object], field: str
) -> None:
    before = _count(api.db, cases)
    answer = api.client.post("/api/cases", json={**CASE, **change}, headers=api.worker)
    assert answer.status_code in (403, 422), answer.text
    fields = [f["field"] for f in answer.json()["error"].get("fields", [])]
    assert fields == ([field] if field else [])
    if not field:
        assert answer.json()["error"]["code"] == "consent_required"
    assert _count(api.db, cases) == before


def test_bad_referrals_and_answers_store_nothing(api: Api) -> None:
    case_id = api.client.post("/api/cases", json=CASE, headers=api.worker).json()["id"]
    before = _count(api.db, referrals)
    bad = api.client.post(
        f"/api/cases/{case_id}/screenings",
        headers=api.worker,
        json={"answers": {"age_years": "old"}},
    )
    assert (
        bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "answers.age_years"
    )
    wrong: list[tuple[dict[str, object], str]] = [
        ({"pathway": "teleport"}, "pathway"),
        ({"to_organisation_id": 9999}, "to_organisation_id"),
        ({"urgency": "whenever"}, "urgency"),
    ]
    for body, field in wrong:
        answer = api.client.post(
            "/api/referrals",
            headers=api.worker,
            json={
                "case_id": case_id,
                "to_organisation_id": api.receiver_org,
                "pathway": "child-protection",
                "reason": "x",
                **body,
            },
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["fields"][0]["field"] == field
    assert _count(api.db, referrals) == before
    anonymous = api.client.post("/api/cases", json=CASE)
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"


CASE_KEYS = [
    "id",
    "organisation_id",
    "version",
    "flags",
    "consent",
    "created_by",
    "created_at",
    "erased_at",
    "sex",
    "age_group",
    "nationality",
    "arrival_place",
    "arrival_date",
    "route_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "contact",
    "document_numbers",
]
SUMMARY_KEYS = [
    "id",
    "case_id",
    "status",
    "pathway",
    "pathway_name",
    "urgency",
    "due_date",
    "overdue",
    "from_organisation",
    "to_organisation",
    "service_point_id",
    "version",
]


def test_answers_keep_their_keys_in_order(api: Api) -> None:
    """The answers became typed response models: the same keys, in the same order, as before."""
    case = api.client.post("/api/cases", json=CASE, headers=api.worker).json()
    assert list(case) == [*CASE_KEYS, "erased"]
    screened = api.client.post(
        f"/api/cases/{case['id']}/screenings",
        headers=api.worker,
        json={"answers": {"travelling_with": "alone"}},
    ).json()
    assert list(screened) == [
        "questionnaire_version",
        "rules_version",
        "flags",
        "recommendations",
        "id",
        "case_id",
        "screened_at",
        "screened_by",
        "screening_version_id",  # issue 12: the rule version used, added at the end
    ]
    assert screened["screening_version_id"] == 1  # the packaged files
    assert screened["recommendations"][0]["due_date"][4] == "-"  # a date, YYYY-MM-DD
    read = api.client.get(f"/api/cases/{case['id']}", headers=api.worker).json()
    assert list(read) == [*CASE_KEYS, "screenings", "erased"]
    assert read["screenings"][0]["answers"] == {"age_years": 16, "travelling_with": "alone"}
    referral = api.client.post(
        "/api/referrals",
        headers=api.worker,
        json={
            "case_id": case["id"],
            "to_organisation_id": api.receiver_org,
            "pathway": "child-protection",
            "reason": "alone",
        },
    ).json()
    assert list(referral) == [
        *SUMMARY_KEYS,
        "urgency_rank",
        "reason",
        "shared_fields",
        "side",
        "allowed_transitions",
        "history",
        "case",
    ]
    assert list(referral["history"][0]) == ["from", "to", "at", "by", "organisation_id", "reason"]
    inbox = api.client.get("/api/referrals/inbox", headers=api.receiver).json()
    assert [list(item) for item in inbox if item["id"] == referral["id"]] == [SUMMARY_KEYS]
