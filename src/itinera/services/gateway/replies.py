"""Sending a public answer back through the channel the person wrote from.

The answer is stored first (the person can always read it by tracking code); delivery happens
after the commit, outside any transaction, and its outcome is written on the answer: ``sent``,
``failed``, or ``window_closed`` when the channel only accepts an approved template past its
reply window (WhatsApp's 24 hours) -- the queue then offers the template.
"""

from __future__ import annotations

import logging

from itinera.domain.gateway import OutboundReply, reply_window_open
from itinera.domain.gateway_codes import display_code
from itinera.engines.gateway_outbound import DeliveryError
from itinera.services.gateway.context import Gateway
from itinera.storage.gateway.channel_repository import ChannelRepository
from itinera.storage.gateway.submission_repository import SubmissionRepository

__all__ = ["deliver_answer"]

log = logging.getLogger(__name__)

SENT, FAILED, WINDOW_CLOSED = "sent", "failed", "window_closed"


def deliver_answer(gw: Gateway, code: str, answer_id: int, *, template: bool = False) -> str | None:
    """Send one stored public answer; the delivery status, or None when there is no way back."""
    with gw.db.transaction() as session:
        repo = SubmissionRepository(session, gw.cipher)
        submission = repo.get(code)
        if submission is None or submission.channel is None or not submission.sender:
            return None
        found = ChannelRepository(session, gw.cipher).secret(submission.channel)
        last = repo.last_message_at(submission.id) or submission.created_at
    if found is None:
        return None
    channel, secret = found
    answer = next(a for a in submission.answers if a.id == answer_id)
    if not template and not reply_window_open(last, gw.now(), channel.reply_window_hours):
        status = WINDOW_CLOSED
    else:
        reply = OutboundReply(
            channel.name,
            submission.sender,
            answer.body,
            answer.language,
            display_code(code),
            template,
        )
        try:
            gw.adapters(channel, secret).send(reply)
            status = SENT
        except DeliveryError as error:
            log.warning("reply %s on channel %s not delivered: %s", answer_id, channel.id, error)
            status = FAILED
    with gw.db.transaction(write=True) as session:
        SubmissionRepository(session).set_delivery(answer_id, status)
    return status
