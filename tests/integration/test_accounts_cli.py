"""``itinera orgs``, ``users``, ``tokens``, ``audit export``, ``retention apply`` (C8)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from itinera.bootstrap import build_cli
from itinera.services.accounts import users as accounts
from itinera.storage.database import Database

app = build_cli()


def _env(db: Database, tmp_path: Path) -> dict[str, str]:
    return {
        "ITINERA_DATABASE_URL": db.url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_KEY_FILE": str(tmp_path / "field.key"),
    }


def test_the_first_administrator_is_created_from_the_command_line(
    sqlite_db: Database, tmp_path: Path
) -> None:
    run, env = CliRunner().invoke, _env(sqlite_db, tmp_path)
    added = run(
        app, ["orgs", "add", "UNHCR Morocco", "--type", "un", "--acronym", "UNHCR"], env=env
    )
    assert added.exit_code == 0, added.output
    bad = run(app, ["orgs", "add", "Other", "--type", "charity"], env=env)
    assert bad.exit_code == 1 and "type" in bad.output
    user = run(
        app,
        ["users", "add", "admin", "--org", "UNHCR", "--role", "administrator", "--password-stdin"],
        input="a long pass phrase\n",
        env=env,
    )
    assert user.exit_code == 0, user.output
    assert accounts.authenticate(sqlite_db, "admin", "a long pass phrase").actor.username
    weak = run(
        app,
        ["users", "add", "bob", "--org", "UNHCR", "--role", "caseworker", "--password-stdin"],
        input="short\n",
        env=env,
    )
    assert weak.exit_code == 1 and "password" in weak.output
    listed = run(app, ["users", "list", "--json"], env=env)
    assert '"role": "administrator"' in listed.output and "bob" not in listed.output

    issued = run(app, ["tokens", "issue", "admin", "--label", "sync"], env=env)
    token = issued.stdout.strip().splitlines()[-1]
    assert token.startswith("itn_") and accounts.actor_for_token(sqlite_db, token)
    token_id = re.search(r"token (\d+) \(", issued.output).group(1)  # type: ignore[union-attr]
    assert run(app, ["tokens", "revoke", token_id], env=env).exit_code == 0
    assert accounts.actor_for_token(sqlite_db, token) is None

    out = tmp_path / "audit.csv"
    assert run(app, ["audit", "export", "--output", str(out)], env=env).exit_code == 0
    text = out.read_text("utf-8")
    assert "user.create" in text and "a long pass phrase" not in text
    dry = run(app, ["retention", "apply", "--dry-run"], env=env)
    assert dry.exit_code == 0 and "would erase" in dry.output
