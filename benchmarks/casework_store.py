"""The seeded store of the casework load benchmark (issue 13, goal 5): built once, then cached.

The store is real, written through the product's own pieces: ``--cases`` cases of the
"Reception" organisation sealed field by field by ``CaseRepository.insert_many`` (AES-GCM, the
benchmark's key kept next to the store), ``--audit`` entries appended to the hash chain by
``audit.record_many`` (the trail's own hashing, 50 entries per append), and one caseworker
account per client. Only the volume is synthetic: invented names, ids drawn from a fixed seed
(:func:`seeded_case_ids`) so that clients can read seeded cases.

SQLite: ``benchmarks/out/casework-<cases>c-<audit>a-<users>u.db`` (each run copies the file).
PostgreSQL: a template database ``itinera_cw_<cases>_<audit>_<users>`` on the benchmark server
(each run is ``CREATE DATABASE … TEMPLATE``, a file copy). ``…json`` beside it keeps the key
and the receiving organisation's id; a store without it is built again.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from argon2 import PasswordHasher
from bench_workers import libpq
from casework_baseline import PlainCipher
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url

from itinera.config import Settings
from itinera.domain.access import SYSTEM
from itinera.domain.case import ConsentRecord, LegalBasis, Purpose, age_group
from itinera.domain.case_record import CaseRecord
from itinera.engines.crypto import generate_key, load_cipher
from itinera.services.accounts import audit
from itinera.services.accounts import users as accounts
from itinera.services.setup import initialise
from itinera.storage.casework.case_repository import CaseRepository
from itinera.storage.database import Database

OUT = Path(__file__).resolve().parent / "out"
PASSWORD = "benchmark pass phrase"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as domain.case's case numbers
CASES_PER_TRANSACTION = 5_000
# SQLite resolves named parameters with a linear search each: 50 rows (650 parameters) per
# statement, not 1,000 (13,000 parameters, ~1 s per statement)
ENTRIES_PER_APPEND = 50
ENTRIES_PER_TRANSACTION = 10_000


def seeded_case_ids(count: int) -> list[str]:
    """The ids of the seeded cases, the same in the builder and in every client."""
    rng = random.Random(13)
    found = []
    for _ in range(count):
        chars = "".join(rng.choice(ALPHABET) for _ in range(12))
        found.append(f"C-{chars[:4]}-{chars[4:8]}-{chars[8:]}")
    return found


def settings_for(url: str, key: str) -> Settings:
    return Settings(
        database_url=url,
        environment="test",
        field_key=key,
        key_file=OUT / "casework-unused.key",
    )


def seeded(backend: str, server_url: str, cases: int, entries: int, users: int) -> dict[str, Any]:
    """The cached stores' description (built first if missing): ``protected`` and ``plain``
    (SQLite files or template databases), ``key``, ``receiver_id``, ``cases``, ``audit``."""
    name = f"casework-{cases}c-{entries}a-{users}u"
    OUT.mkdir(exist_ok=True)
    about = OUT / f"{name}-{backend}.json"
    if about.exists():
        return dict(json.loads(about.read_text()))
    if backend == "sqlite":
        for leftover in OUT.glob(f"{name}*.db*"):
            leftover.unlink()
        urls = {kind: f"sqlite:///{OUT / f'{name}-{kind}.db'}" for kind in ("protected", "plain")}
    else:
        names = {
            kind: f"itinera_cw_{cases}_{entries}_{users}_{kind}" for kind in ("protected", "plain")
        }
        for database in names.values():
            drop_database(
                server_url, make_url(server_url).set(database=database).render_as_string(False)
            )
        urls = {"protected": create_database(server_url, names["protected"])}
    started = time.perf_counter()
    description = _build(urls["protected"], cases, entries, users)
    if backend == "sqlite":
        shutil.copyfile(_path(urls["protected"]), _path(urls["plain"]))
    else:
        urls["plain"] = create_database(server_url, names["plain"], names["protected"])
    _unseal(urls["plain"], description["organisation_id"], cases)
    description.update(urls, cases=cases, audit=entries)
    print(f"seeded {name} on {backend} in {time.perf_counter() - started:.0f} s", flush=True)
    about.write_text(json.dumps(description))
    return description


def _build(url: str, cases: int, entries: int, users: int) -> dict[str, Any]:
    """Protected store: cases sealed with a new key, the audit chain, the accounts."""
    key = base64.b64encode(generate_key()).decode()
    settings = settings_for(url, key)
    initialise(settings)
    db = Database(url)
    accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # setup only
    reception = accounts.create_organisation(db, SYSTEM, "Reception", "ngo")
    receiver = accounts.create_organisation(db, SYSTEM, "Child protection", "state")
    actors = [
        accounts.create_user(db, SYSTEM, f"cw{n}", "Reception", "caseworker", PASSWORD).actor()
        for n in range(users)
    ]
    _insert_cases(db, load_cipher(settings), reception.id, cases)
    ids = seeded_case_ids(cases)
    for start in range(0, entries, ENTRIES_PER_TRANSACTION):
        actor = actors[(start // ENTRIES_PER_TRANSACTION) % len(actors)]
        end = min(start + ENTRIES_PER_TRANSACTION, entries)
        with db.transaction(write=True) as session:
            for first in range(start, end, ENTRIES_PER_APPEND):
                notes = [_note(ids, n) for n in range(first, min(first + ENTRIES_PER_APPEND, end))]
                audit.record_many(session, actor, notes)
    _settle(db)
    return {"key": key, "receiver_id": receiver.id, "organisation_id": reception.id}


def _unseal(url: str, organisation_id: int, cases: int) -> None:
    """The baseline's store: the same, with the cases written in clear."""
    db = Database(url)
    with db.transaction(write=True) as session:
        session.execute(text("DELETE FROM cases"))
    _insert_cases(db, PlainCipher(), organisation_id, cases)
    _settle(db)


def _insert_cases(db: Database, cipher: Any, organisation_id: int, count: int) -> None:
    ids, now = seeded_case_ids(count), datetime.now(UTC)
    for start in range(0, count, CASES_PER_TRANSACTION):
        end = min(start + CASES_PER_TRANSACTION, count)
        batch = [_case(n, ids[n], organisation_id, now) for n in range(start, end)]
        with db.transaction(write=True) as session:
            CaseRepository(session, cipher).insert_many(batch, updated_at=now)


def _settle(db: Database) -> None:
    if db.dialect == "sqlite":
        db.reclaim()  # the whole store in the one file that each run copies
    db.dispose()


def _path(url: str) -> str:
    return make_url(url).database or ""


def _case(n: int, case_id: str, organisation_id: int, now: datetime) -> CaseRecord:
    born = date(1960, 1, 1) + timedelta(days=n % 16_000)
    consent = ConsentRecord(
        {p: LegalBasis.CONSENT for p in (Purpose.REGISTRATION, Purpose.SCREENING)},
        now,
        "cw0",
    )
    return CaseRecord(
        id=case_id,
        organisation_id=organisation_id,
        version=1,
        flags=(),
        consent=consent,
        created_by="cw0",
        created_at=now,
        erased_at=None,
        sex=("female", "male")[n % 2],
        age_group=age_group(born, now.date()).value,
        nationality=("GIN", "MLI", "SYR", "AFG")[n % 4],
        arrival_place="Melilla",
        arrival_date=date(2026, 1, 1) + timedelta(days=n % 300),
        route_id=None,
        given_name=f"Given{n}",
        family_name=f"Family{n}",
        date_of_birth=born,
        contact=f"+212 600 {n:06d}",
        document_numbers=(f"P{n}",),
    )


def _note(ids: list[str], n: int) -> audit.AuditNote:
    action, purpose = (
        ("case.register", "registration") if n % 10 == 0 else ("case.read", "screening")
    )
    return audit.AuditNote(action, "case", ids[n % len(ids)], purpose, "127.0.0.1")


def copy_store(store: dict[str, Any], server_url: str, into: Path, *, protected: bool) -> str:
    """A copy of the protected or plain seeded store for one run: its database URL."""
    source = store["protected" if protected else "plain"]
    if source.startswith("sqlite"):
        target = into / "casework.db"
        shutil.copyfile(_path(source), target)
        return f"sqlite:///{target}"
    name = f"itinera_cw_run_{secrets.token_hex(4)}"
    return create_database(server_url, name, make_url(source).database)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    with psycopg.connect(libpq(server_url), autocommit=True) as conn:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(statement)
    return make_url(server_url).set(database=name).render_as_string(False)


def drop_database(server_url: str, url: str) -> None:
    name = sql.Identifier(str(make_url(url).database))
    with psycopg.connect(libpq(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
