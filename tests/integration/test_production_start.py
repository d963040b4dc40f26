"""Production refuses to start unsafely (issue 10, item 14): a weak secret, a key file other
users can read, a malformed key; and the SQLite file is created readable by its owner only."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pydantic
import pytest

from itinera.bootstrap import build_app
from itinera.config import Settings
from itinera.domain.errors import ItineraError
from itinera.engines.crypto import generate_key, write_key_file
from itinera.storage.database import Database

GOOD_SECRET = secrets.token_urlsafe(32)


def _settings(tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "environment": "production",
        "database_url": f"sqlite:///{tmp_path / 'itinera.sqlite3'}",
        "secret_key": GOOD_SECRET,
        "key_file": tmp_path / "field.key",
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def _key_file(tmp_path: Path, mode: int, text: str | None = None) -> Path:
    path = tmp_path / "field.key"
    if text is None:
        write_key_file(path, [generate_key()])
    else:
        path.write_text(text, encoding="ascii")
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    "secret", ["a" * 36, "ab" * 20, "0123456789" * 4, "Passw0rd" * 5, "short-secret"]
)
def test_a_weak_secret_is_refused(tmp_path: Path, secret: str) -> None:
    _key_file(tmp_path, 0o600)
    with pytest.raises(pydantic.ValidationError, match="ITINERA_SECRET_KEY"):
        _settings(tmp_path, secret_key=secret)
    assert _settings(tmp_path).secret_key == GOOD_SECRET  # a random one passes


def test_a_key_file_other_users_can_read_is_refused(tmp_path: Path) -> None:
    _key_file(tmp_path, 0o644)
    with pytest.raises(pydantic.ValidationError, match="chmod 600"):
        _settings(tmp_path)


def test_a_malformed_key_stops_the_start_not_the_first_read(tmp_path: Path) -> None:
    _key_file(tmp_path, 0o600, "not base64 at all!\n")
    with pytest.raises(ItineraError, match="not valid base64"):
        build_app(_settings(tmp_path), database=Database(f"sqlite:///{tmp_path / 'x.db'}"))


def test_the_database_file_is_created_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "itinera.sqlite3"
    database = Database(f"sqlite:///{path}")
    with database.transaction(write=True) as session:
        session.connection().exec_driver_sql("CREATE TABLE t (x INTEGER)")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600
    database.dispose()
