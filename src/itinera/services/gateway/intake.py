"""Intake: a person's submission from the web form or a signed channel message, and what its
tracking code reveals (the status and the public answers, nothing else).

A channel message is checked against the channel's secret before anything is read from its
body (``domain/gateway_signatures.py``); an unknown channel gets the same refusal as a wrong
signature. Submissions are stored by the intake writer, a batch per transaction (group
commit, decision 0028): a caller is answered once its batch has committed. The same message id
delivered again returns the first submission's code: the check-then-insert runs in one write
transaction, and the unique key on (channel, message id) settles a race between two
deliveries on PostgreSQL, after which the loser reads the winner's (``intake_writer.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from concurrent.futures import Future

from itinera.domain.access import ANONYMOUS
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.gateway import (
    ChannelKind,
    Intake,
    NewSubmission,
    PublicStatus,
    SubmissionKind,
    SubmissionStatus,
)
from itinera.domain.gateway_codes import new_tracking_code, read_tracking_code
from itinera.domain.gateway_emergency import AcuteRisk, acute_flag
from itinera.domain.gateway_meta import answer_handshake
from itinera.domain.gateway_signatures import SignatureError
from itinera.services.gateway.context import Gateway
from itinera.services.gateway.handover import hand_over_tracing
from itinera.services.gateway.inbound import InboundRequest, NoMessage, read_message
from itinera.services.gateway.intake_writer import IntakeItem, Receipt
from itinera.storage.gateway.channel_repository import ChannelRepository
from itinera.storage.gateway.submission_repository import SubmissionRepository

__all__ = [
    "InboundRequest",
    "NoMessage",
    "Receipt",
    "answer_channel_handshake",
    "receive_message",
    "submit",
    "submit_soon",
    "submit_waiting",
    "track",
]

log = logging.getLogger(__name__)


def _flags(kind: SubmissionKind) -> tuple[str, ...]:
    # with the person's consent the tracing team also gets a request awaiting intake (handover.py)
    return ("tracing",) if kind is SubmissionKind.TRACING else ()


def _check(new: NewSubmission) -> None:
    problems = new.problems()
    if problems:
        raise ValidationError.single(*next(iter(problems.items())))


def submit(
    gw: Gateway,
    new: NewSubmission,
    *,
    origin: str | None = None,
    acute: AcuteRisk | None = None,
    about: str | None = None,
) -> Receipt:
    """Store a submission from the public web form; no account needed. An ``acute`` risk
    puts it at the top of the queue (the page shows the emergency numbers at once)."""
    if new.kind is SubmissionKind.TRACING and new.tracing_consent:
        _check(new)
        return _submit_for_tracing(gw, new, _web_flags(new, acute, about), origin=origin)
    return submit_soon(gw, new, origin=origin, acute=acute, about=about).result()


def submit_soon(
    gw: Gateway,
    new: NewSubmission,
    *,
    origin: str | None = None,
    acute: AcuteRisk | None = None,
    about: str | None = None,
) -> Future[Receipt]:
    """Hand a submission to the intake writer (group commit); the future holds its receipt
    once its batch has committed. A tracing interest with consent goes through :func:`submit`
    (its handover to the tracing team shares its transaction)."""
    return gw.intake_writer.submit(_web_item(gw, new, origin, acute, about))


def submit_waiting(gw: Gateway, new: NewSubmission) -> asyncio.Future[Receipt]:
    """:func:`submit_soon` for a caller on the event loop (the JSON intake): the receipt
    arrives with the rest of its batch, in one wake-up of the loop (decision 0033)."""
    return gw.intake_writer.submit_waiting(_web_item(gw, new, None, None, None))


def _web_item(
    gw: Gateway,
    new: NewSubmission,
    origin: str | None,
    acute: AcuteRisk | None,
    about: str | None,
) -> IntakeItem:
    _check(new)
    if new.kind is SubmissionKind.TRACING and new.tracing_consent:
        raise ValueError("a tracing interest with consent is stored by submit()")
    return IntakeItem(gw, new, Intake.WEB, _web_flags(new, acute, about), origin=origin)


def _web_flags(new: NewSubmission, acute: AcuteRisk | None, about: str | None) -> tuple[str, ...]:
    flags = _flags(new.kind) + ((acute_flag(acute),) if acute else ())
    if about:  # "report a problem" on an article or a service point: staff re-check it
        flags += (f"about:{about[:120]}",)
    return flags


def _submit_for_tracing(
    gw: Gateway, new: NewSubmission, flags: tuple[str, ...], *, origin: str | None
) -> Receipt:
    code = new_tracking_code()
    with gw.db.transaction(write=True) as session:
        repo = SubmissionRepository(session, gw.cipher)
        now = gw.now()
        submission_id = repo.insert(code, new, intake=Intake.WEB, now=now, flags=flags)
        # the person's words stay here: the request points to the tracking code
        request_id = hand_over_tracing(session, gw, code, new.language, new.contact)
        if request_id is not None:  # staff see where it went; the person's consent too
            repo.add_flag(submission_id, f"tracing-request:{request_id}", now)
        gw.audit(
            session,
            ANONYMOUS,
            action="gateway.submit",
            entity="gateway_submission",
            entity_id=str(submission_id),
            origin=origin,
        )
    log.info("gateway submission %s received from the web", submission_id)
    return Receipt(code, SubmissionStatus.RECEIVED, created=True)


def receive_message(gw: Gateway, channel: str, request: InboundRequest) -> Receipt:
    """Authenticate a channel's message, then store it once (by its message id)."""
    with gw.db.transaction() as session:
        found = ChannelRepository(session, gw.cipher).secret(channel)
    if found is None:
        raise SignatureError()
    known, secret = found
    message = read_message(known, secret, request)
    new = NewSubmission(SubmissionKind.QUESTION, message.text, message.language)
    _check(new)
    item = IntakeItem(
        gw,
        new,
        Intake.CHANNEL,
        _flags(new.kind),
        channel_id=known.id,
        message_id=message.message_id,
        sender=message.sender,
    )
    return gw.intake_writer.submit(item).result()


def answer_channel_handshake(gw: Gateway, channel: str, params: Mapping[str, str]) -> str:
    """The challenge Meta's GET handshake expects back, only for a Meta channel and its token;
    anything else is the same refusal as a wrong signature."""
    with gw.db.transaction() as session:
        found = ChannelRepository(session, gw.cipher).secret(channel)
    if found is None or found[0].kind is not ChannelKind.META:
        raise SignatureError()
    return answer_handshake(str(found[0].outbound.get("verify_token") or ""), params)


def track(gw: Gateway, typed_code: str) -> PublicStatus:
    """The status and public answers of the submission with this code (read forgivingly)."""
    code = read_tracking_code(typed_code)
    if code is not None:
        with gw.db.transaction() as session:
            repo = SubmissionRepository(session)
            found = repo.status_of(code)
            if found is not None:
                submission_id, status = found
                # a duplicate merged by staff shows the answers of the one it repeats
                target = repo.merged_target(submission_id)
                target_code = repo.code_of(target) if target is not None else None
                if target is not None and target_code is not None:
                    merged = repo.status_of(target_code)
                    if merged is not None:
                        submission_id, status = merged
                return PublicStatus(code, status, repo.answers(submission_id, public_only=True))
    raise NotFoundError("no submission with this tracking code", hint="check the code")
