"""Channels: the messaging adapters (SMS gateway, WhatsApp bridge, e-mail, hotline form) that
post people's messages to the gateway, each with its own signing secret."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import ValidationError
from itinera.domain.gateway import Channel, ChannelKind
from itinera.domain.gateway_signatures import new_channel_secret
from itinera.services.gateway.context import Gateway
from itinera.storage.gateway.channel_repository import ChannelRepository

__all__ = ["add_channel", "list_channels"]

log = logging.getLogger(__name__)
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def add_channel(
    gw: Gateway,
    actor: Actor,
    name: str,
    kind: ChannelKind,
    *,
    outbound: Mapping[str, str | int] | None = None,
    reply_window_hours: int | None = None,
    provider_secret: str | None = None,
) -> tuple[Channel, str]:
    """A new channel and its secret, ``whsec_<base64 key>``: returned once, never shown again.

    ``outbound`` says where replies go: ``{"url"}`` for a webhook channel, ``{"host", "port",
    "sender"}`` for e-mail; ``reply_window_hours`` (24 for WhatsApp) limits free-text replies.
    A Twilio channel is signed with the account's auth token (``provider_secret``), a Meta
    channel with the app secret (``provider_secret``) and answers Meta's handshake with
    ``outbound["verify_token"]`` (drawn when not given).
    """
    require(actor, Action.MANAGE_GATEWAY_CHANNELS)
    if not _NAME.fullmatch(name):
        raise ValidationError.single("name", "lower-case letters, digits, - and _, at most 64")
    out = {k: v for k, v in (outbound or {}).items() if v not in (None, "")}
    url = out.get("url")
    if url is not None and not str(url).startswith(("http://", "https://")):
        raise ValidationError.single("url", "an http:// or https:// address")
    if reply_window_hours is not None and not 1 <= reply_window_hours <= 24 * 30:
        raise ValidationError.single("reply_window_hours", "between 1 and 720")
    if kind is ChannelKind.TWILIO:
        if not provider_secret or len(provider_secret) > 200:
            raise ValidationError.single("auth_token", "the Twilio account's auth token")
        secret = provider_secret
    elif kind is ChannelKind.META:
        if not provider_secret or len(provider_secret) > 200:
            raise ValidationError.single("app_secret", "the Meta app's secret")
        secret = provider_secret
        # Meta's GET handshake echoes its challenge only for this token (not a signing key)
        out["verify_token"] = str(out.get("verify_token") or secrets.token_urlsafe(24))
    else:
        secret = new_channel_secret()
    with gw.db.transaction(write=True) as session:
        channel = ChannelRepository(session, gw.cipher).add(
            name, kind, secret, gw.now(), outbound=out, reply_window_hours=reply_window_hours
        )
        gw.audit(
            session,
            actor,
            action="gateway.channel.add",
            entity="gateway_channel",
            entity_id=str(channel.id),
        )
    log.info("gateway channel %s added", channel.id)
    return channel, secret


def list_channels(gw: Gateway, actor: Actor) -> list[Channel]:
    require(actor, Action.MANAGE_GATEWAY_CHANNELS)
    with gw.db.transaction() as session:
        return ChannelRepository(session, gw.cipher).list()
