"""The screening rules versions through the API and ``itinera screening rules`` (issue 12):
list, show, validate, create from YAML, activate; administrators only, each save and
activation audited, a wrong draft refused with the validator's message and nothing stored.
SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.reference.screening import packaged_screening_texts
from itinera.storage.accounts.tables import audit_log

from .test_screening_rules_pages import Site, _client, site  # noqa: F401 (the fixture)

API = "/api/screening/rules/versions"
STRICTER = "    when: {equals: {question: has_disability, value: true}}"


def _bearer(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.headers['X-Test-Bearer']}"}


def _audited(where: Site, version: int) -> list[tuple[str, str]]:
    with where.db.transaction() as session:
        rows = session.execute(
            select(audit_log.c.action, audit_log.c.actor_name).where(
                audit_log.c.entity == "screening_rules",
                audit_log.c.entity_id == str(version),
            )
        ).all()
    return [(r.action, r.actor_name) for r in rows]


def test_an_administrator_lists_checks_creates_and_activates_versions(site: Site) -> None:  # noqa: F811
    client = _client(site, "administrator")
    auth = _bearer(client)
    listed = client.get(API, headers=auth)
    assert listed.status_code == 200, listed.text
    assert listed.json()[-1]["id"] == 1 and listed.json()[-1]["comment"] == "The packaged files"
    first = client.get(f"{API}/1", headers=auth).json()
    assert first["rules"] == packaged_screening_texts().rules

    rules = packaged_screening_texts().rules
    assert STRICTER in rules, "the packaged disability rule changed: update this test"
    broken = rules.replace(STRICTER, "    when: {equals: {question: has_disabilty, value: true}}")
    checked = client.post(f"{API}/validate", json={"rules": broken}, headers=auth)
    assert checked.status_code == 422
    assert "has_disabilty" in checked.text and "rules.yaml: line" in checked.text
    good = client.post(f"{API}/validate", json={"rules": rules}, headers=auth).json()
    assert good["valid"] and good["rules"] > 0 and good["questions"] > 0

    count = len(listed.json())
    refused = client.post(API, json={"rules": broken, "comment": "typo"}, headers=auth)
    assert refused.status_code == 422 and len(client.get(API, headers=auth).json()) == count
    changed = rules.replace(STRICTER, "    when: {not: {answered: has_disability}}")
    created = client.post(API, json={"rules": changed, "comment": "via API"}, headers=auth)
    assert created.status_code == 201, created.text
    number = created.json()["id"]
    assert created.json()["rules"] == changed and not created.json()["active"]
    assert created.json()["questionnaire"] == first["questionnaire"]  # taken from the active
    assert client.post(f"{API}/{number}/activate", headers=auth).json()["active"]
    assert client.get(f"{API}/active", headers=auth).json()["id"] == number
    assert client.post(f"{API}/999999/activate", headers=auth).status_code == 404
    username = client.get("/api/auth/me", headers=auth).json().get("username")
    assert _audited(site, number) == [
        ("screening_rules.save", username),
        ("screening_rules.activate", username),
    ]
    client.post(f"{API}/1/activate", headers=auth)  # leave the packaged rules active


@pytest.mark.parametrize("role", ["caseworker", "analyst"])
def test_other_roles_are_refused(site: Site, role: str) -> None:  # noqa: F811
    client = _client(site, role)
    auth = _bearer(client)
    assert client.get(API, headers=auth).status_code == 403
    assert client.post(f"{API}/validate", json={}, headers=auth).status_code == 403
    created = client.post(API, json={"comment": "x"}, headers=auth)
    assert created.status_code == 403
    assert client.post(f"{API}/1/activate", headers=auth).status_code == 403


def test_the_command_line_lists_shows_creates_and_activates(
    site: Site,  # noqa: F811
    tmp_path: Path,
) -> None:
    assert site.settings.field_key is not None
    env = {
        "ITINERA_DATABASE_URL": site.db.url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_FIELD_KEY": site.settings.field_key.get_secret_value(),
        "ITINERA_KEY_FILE": str(tmp_path / "unused.key"),
    }
    run, app = CliRunner().invoke, build_cli()
    listed = run(app, ["screening", "rules", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "The packaged files" in listed.output
    shown = run(app, ["screening", "rules", "show", "1", "--part", "rules"], env=env)
    assert shown.exit_code == 0 and shown.output == packaged_screening_texts().rules

    rules = packaged_screening_texts().rules
    wrong = tmp_path / "rules-v9.yaml"
    wrong.write_text(rules.replace(STRICTER, "    when: {equals: {question: nope, value: 1}}"))
    refused = run(app, ["screening", "rules", "create", str(wrong), "--comment", "x"], env=env)
    assert refused.exit_code != 0 and "nope" in refused.output
    good = tmp_path / "rules-v8.yaml"
    good.write_text(rules.replace(STRICTER, "    when: {not: {answered: has_disability}}"))
    created = run(
        app,
        ["screening", "rules", "create", str(good), "--comment", "from the CLI", "--activate"],
        env=env,
    )
    assert created.exit_code == 0, created.output
    number = int(created.output.split()[1])
    assert _audited(site, number) == [
        ("screening_rules.save", "system"),
        ("screening_rules.activate", "system"),
    ]
    back = run(app, ["screening", "rules", "activate", "1"], env=env)
    assert back.exit_code == 0 and "version 1 is active" in back.output
    missing = run(app, ["screening", "rules", "activate", "999999"], env=env)
    assert missing.exit_code != 0
