"""Channels of the gateway and their secrets (encrypted: the server reads them to verify)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from itinera.domain.errors import ConflictError
from itinera.domain.gateway import Channel, ChannelKind
from itinera.engines.crypto import register_encrypted_column
from itinera.storage.casework.case_repository import Cipher
from itinera.storage.gateway.tables import gateway_channels

__all__ = ["ChannelRepository", "register_channel_columns"]


def _context(name: str) -> str:
    return f"gateway_channels.secret:{name}"


def register_channel_columns() -> None:
    """Declare the encrypted channel secrets to key rotation (safe to call twice)."""
    register_encrypted_column(
        "gateway_channels",
        "secret_enc",
        lambda row: _context(row["name"]),
        key_columns=("id", "name"),
    )


def _channel(row: Any) -> Channel:
    return Channel(
        row.id,
        row.name,
        ChannelKind(row.kind),
        row.created_at,
        dict(row.outbound),
        row.reply_window_hours,
    )


class ChannelRepository:
    def __init__(self, session: Session, cipher: Cipher) -> None:
        self.session = session
        self.cipher = cipher

    def add(
        self,
        name: str,
        kind: ChannelKind,
        secret: str,
        now: datetime,
        *,
        outbound: Mapping[str, str | int] | None = None,
        reply_window_hours: int | None = None,
    ) -> Channel:
        if self.get(name) is not None:
            raise ConflictError(f"a channel named {name!r} exists", hint="choose another name")
        self.session.execute(
            gateway_channels.insert().values(
                name=name,
                kind=kind.value,
                secret_enc=self.cipher.encrypt(secret, context=_context(name)),
                outbound=dict(outbound or {}),
                reply_window_hours=reply_window_hours,
                created_at=now,
            )
        )
        found = self.get(name)
        assert found is not None
        return found

    def get(self, name: str) -> Channel | None:
        row = self.session.execute(
            select(gateway_channels).where(gateway_channels.c.name == name)
        ).first()
        return None if row is None else _channel(row)

    def secret(self, name: str) -> tuple[Channel, str] | None:
        """The channel and its secret in clear, for checking a signature."""
        row = self.session.execute(
            select(gateway_channels).where(gateway_channels.c.name == name)
        ).first()
        if row is None:
            return None
        return _channel(row), self.cipher.decrypt(row.secret_enc, context=_context(name))

    def list(self) -> list[Channel]:
        rows = self.session.execute(select(gateway_channels).order_by(gateway_channels.c.name))
        return [_channel(row) for row in rows]
