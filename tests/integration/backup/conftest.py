"""A populated source database and a second, empty one on the same backend."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select
from tests.postgres_database import throwaway_database

from itinera.config import Settings
from itinera.domain.access import SYSTEM, Actor, Role
from itinera.schemas.cases import CaseIn
from itinera.services import movements
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.accounts.keys import field_cipher
from itinera.services.casework.cases import register_case
from itinera.services.casework.context import Casework
from itinera.services.setup import initialise
from itinera.storage.database import Database
from itinera.storage.schema import metadata

FIGURES = (
    "Date,Route,Country,Dead,Missing\n"
    "#date,#region+route,#country+code,#affected+killed,#affected+missing\n"
    "2023-05,Central Mediterranean Route,ITA,3,12\n"
    "2023-06,Central Mediterranean Route,LBY,7,\n"
    "2023-06,Eastern Mediterranean Route,GRC,2,4\n"
)


@dataclass(frozen=True)
class Source:
    """A populated database (once per module and backend), its backup, its rows before."""

    settings: Settings
    backup: Path
    rows: dict[str, list[tuple[Any, ...]]]

    def settings_for(self, url: str) -> Settings:
        """Settings for another database with the same key file (kept apart from backups)."""
        return self.settings.model_copy(update={"database_url": url})


@pytest.fixture(scope="module")
def source(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Source:
    from typer.testing import CliRunner

    from itinera.bootstrap import build_cli

    folder = tmp_path_factory.mktemp("backup")
    settings = Settings(
        database_url=module_database_url, environment="test", key_file=folder / "keys" / "k"
    )
    populate(settings)
    rows = every_row(module_database_url)
    file = folder / "store.itinera-backup"
    result = CliRunner().invoke(build_cli(), ["backup", "create", str(file)], env=env(settings))
    assert result.exit_code == 0, result.output
    assert "the key is NOT in the backup" in result.output
    return Source(settings, file, rows)


def env(settings: Settings) -> dict[str, str]:
    return {
        "ITINERA_DATABASE_URL": settings.database_url,
        "ITINERA_ENVIRONMENT": "test",
        "ITINERA_KEY_FILE": str(settings.key_file),
    }


@pytest.fixture
def empty_url(source: Source, tmp_path: Path) -> Iterator[str]:
    """A new empty database on the source's backend."""
    url = source.settings.database_url
    if url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    with throwaway_database(url, "itinera_r") as empty:
        yield empty


def populate(settings: Settings) -> None:
    """The catalogue, imported movement figures, an organisation, users, cases with encrypted
    fields, and the audit entries they write (not the whole demo: 212,000 rows took minutes
    to restore twice per backend, and a few rows per table prove the same)."""
    initialise(settings, demo=False)
    db = Database(settings.database_url)
    try:
        figures = settings.key_file.parent.parent / "figures.csv"
        figures.write_text(FIGURES, encoding="utf-8")
        report = movements.import_file(db, SYSTEM, "hxl", figures, source="backup-test")
        assert report.stored, report.message
        organisation = accounts.create_organisation(db, SYSTEM, "Backup NGO", "ngo")
        accounts.create_user(
            db, SYSTEM, "backup-worker", "Backup NGO", "caseworker", secrets.token_urlsafe(18)
        )
        actor = Actor("backup-worker", frozenset({Role.CASEWORKER}), 1, organisation.id)
        cw = Casework(db, field_cipher(settings), audit.record)
        for given in ("Amina", "Yusuf", "Mariam"):
            register_case(cw, actor, _case(given))
    finally:
        db.dispose()


def _case(given: str) -> Any:
    return CaseIn.model_validate(
        {
            "given_name": given,
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
    ).to_domain()


def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in primary-key order (no table: ``{}``), read with plain SQLAlchemy
    (not the code under test), values as the driver and column types return them."""
    db = Database(url)
    try:
        with db.engine.connect() as connection:
            if not inspect(connection).get_table_names():
                return {}
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in metadata.sorted_tables
            }
    finally:
        db.dispose()
