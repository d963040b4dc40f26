"""Group commit of the intake (decision 0028), on SQLite and PostgreSQL: many threads at once,
every receipt's code stored exactly once, the audit chain intact; a message delivered twice in
one batch stored once; a batch that cannot commit acknowledges nothing; callers on an event
loop answered with their batch (decision 0033)."""

from __future__ import annotations

import asyncio
import base64
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from tests.integration.gateway.conftest import GatewayWorld

from itinera.domain.access import SYSTEM
from itinera.domain.gateway import ChannelKind, Intake, NewSubmission, SubmissionKind
from itinera.engines.crypto import FieldCipher
from itinera.services.accounts import audit
from itinera.services.gateway import intake, intake_writer
from itinera.services.gateway.channels import add_channel
from itinera.services.gateway.context import Gateway
from itinera.services.gateway.group_commit import Pending
from itinera.services.gateway.intake_writer import IntakeItem, Receipt

THREADS = 24
PER_THREAD = 15


def _gateway(world: GatewayWorld) -> Gateway:
    key = base64.b64decode(world.env["ITINERA_FIELD_KEY"])
    return Gateway(world.db, FieldCipher([key]), audit.record)


def _codes(world: GatewayWorld, marker: str) -> list[str]:
    with world.db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT tracking_code FROM gateway_submissions WHERE language = :m"), {"m": marker}
        )
        return [row[0] for row in rows]


def _question(marker: str, n: int) -> NewSubmission:
    return NewSubmission(SubmissionKind.QUESTION, f"question {n}", marker)


def test_concurrent_submissions_are_each_stored_once_with_a_whole_audit_chain(
    world: GatewayWorld,
) -> None:
    gw = _gateway(world)
    marker = f"x{secrets.token_hex(3)}"

    def client(n: int) -> list[str]:
        return [
            intake.submit(gw, _question(marker, n * PER_THREAD + i)).tracking_code
            for i in range(PER_THREAD)
        ]

    with ThreadPoolExecutor(THREADS) as pool:
        answered = [code for codes in pool.map(client, range(THREADS)) for code in codes]
    stored = _codes(world, marker)
    assert len(answered) == THREADS * PER_THREAD
    assert sorted(stored) == sorted(answered), "every receipt's code is stored exactly once"
    assert len(set(answered)) == len(answered)
    checked = audit.verify(world.db)
    assert checked.ok, checked
    with world.db.engine.connect() as connection:
        audited = connection.execute(
            text(
                "SELECT count(*) FROM audit_log a JOIN gateway_submissions s "
                "ON a.entity_id = CAST(s.id AS VARCHAR(64)) "
                "WHERE a.action = 'gateway.submit' AND s.language = :m"
            ),
            {"m": marker},
        ).scalar()
    assert audited == len(answered), "one audit entry per submission"


def test_a_message_delivered_twice_in_one_batch_is_stored_once(world: GatewayWorld) -> None:
    gw = _gateway(world)
    marker = f"y{secrets.token_hex(3)}"
    channel_id = _any_channel(gw)
    message_id = f"msg_{secrets.token_hex(6)}"

    def item(n: int, message: str | None = message_id) -> IntakeItem:
        return IntakeItem(
            gw, _question(marker, n), Intake.CHANNEL, channel_id=channel_id, message_id=message
        )

    batch: list[Pending[IntakeItem, Receipt]] = [
        Pending(item(1)),
        Pending(item(2, f"msg_{secrets.token_hex(6)}")),
        Pending(item(3)),
    ]
    intake_writer.store_batch(batch)
    first, other, again = (p.future.result(timeout=5) for p in batch)
    assert first.created and other.created and not again.created
    assert again.tracking_code == first.tracking_code != other.tracking_code
    assert sorted(_codes(world, marker)) == sorted([first.tracking_code, other.tracking_code])
    later: list[Pending[IntakeItem, Receipt]] = [Pending(item(4))]  # a later batch
    intake_writer.store_batch(later)
    assert later[0].future.result(timeout=5) == again


def test_a_batch_that_cannot_commit_acknowledges_nothing(
    world: GatewayWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    gw = _gateway(world)
    marker = f"z{secrets.token_hex(3)}"

    def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")  # after the rows were inserted, before the commit

    monkeypatch.setattr(intake_writer, "record_many", broken)
    batch: list[Pending[IntakeItem, Receipt]] = [
        Pending(IntakeItem(gw, _question(marker, n), Intake.WEB)) for n in range(5)
    ]
    intake_writer.store_batch(batch)
    for pending in batch:
        with pytest.raises(OSError):
            pending.future.result(timeout=5)
    assert _codes(world, marker) == [], "nothing half-written"


def test_callers_on_an_event_loop_get_their_receipts_once_stored(
    world: GatewayWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    gw = _gateway(world)
    marker = f"w{secrets.token_hex(3)}"

    async def callers() -> list[Receipt]:
        waiting = [intake.submit_waiting(gw, _question(marker, n)) for n in range(60)]
        waiting[7].cancel()  # its caller went away: the others are still answered
        done = await asyncio.gather(*waiting, return_exceptions=True)
        return [r for r in done if isinstance(r, Receipt)]

    answered = asyncio.run(callers())
    assert len(answered) == 59 and len({r.tracking_code for r in answered}) == 59
    stored = _codes(world, marker)
    assert len(stored) == 60, "the cancelled caller's submission is stored all the same"
    assert {r.tracking_code for r in answered} <= set(stored)

    def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(intake_writer, "record_many", broken)

    async def refused() -> list[BaseException | Receipt]:
        waiting = [intake.submit_waiting(gw, _question(f"v{marker}", n)) for n in range(5)]
        return await asyncio.gather(*waiting, return_exceptions=True)

    assert all(isinstance(r, OSError) for r in asyncio.run(refused()))
    assert _codes(world, f"v{marker}") == [], "nothing acknowledged, nothing half-written"


def _any_channel(gw: Gateway) -> int:
    channel, _ = add_channel(gw, SYSTEM, f"sms-{secrets.token_hex(4)}", ChannelKind.WEBHOOK)
    return channel.id


KILLED_MID_BATCH = """
import base64, os, sys
from itinera.domain.gateway import NewSubmission, SubmissionKind
from itinera.engines.crypto import FieldCipher
from itinera.services.accounts import audit
from itinera.services.gateway import intake, intake_writer
from itinera.services.gateway.context import Gateway
from itinera.storage.database import Database

def die(*_, **__):
    os._exit(9)  # the rows are inserted, the commit never comes

intake_writer.record_many = die
gw = Gateway(Database(sys.argv[1]), FieldCipher([base64.b64decode(sys.argv[2])]), audit.record)
futures = [
    intake.submit_soon(gw, NewSubmission(SubmissionKind.QUESTION, "q", sys.argv[3]))
    for _ in range(8)
]
for future in futures:
    print(future.result().tracking_code, flush=True)  # a 201 would be answered here
"""


def test_a_process_killed_mid_batch_answered_nothing_and_stored_nothing(
    world: GatewayWorld,
) -> None:
    marker = f"k{secrets.token_hex(3)}"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_MID_BATCH,
            world.db.url,
            world.env["ITINERA_FIELD_KEY"],
            marker,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr
    assert killed.stdout == "", "no receipt before the commit"
    assert _codes(world, marker) == []
    assert audit.verify(world.db).ok
