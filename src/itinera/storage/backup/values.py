"""Column values to JSON and back, directed by the column's type (never by the value's look:
a text that reads like a date stays a text)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, LargeBinary, Numeric

__all__ = ["decode_value", "decoder_for", "encode_value"]


def encode_value(column: Column[Any], value: Any) -> Any:
    if value is None or isinstance(column.type, JSON):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode_value(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value.encode("ascii"), validate=True)
    if isinstance(kind, Numeric) and not kind.asdecimal:
        return float(value)
    if isinstance(kind, Numeric):
        return Decimal(value)
    return value


def decoder_for(column: Column[Any]) -> Callable[[Any], Any] | None:
    """``decode_value`` bound to one column, ``None`` when its JSON value is stored as is
    (chosen once per table, not per value: restores decode millions of values)."""
    kind = column.type
    typed = (DateTime, Date, LargeBinary, Numeric)
    if isinstance(kind, JSON) or not (
        isinstance(kind, typed) or isinstance(getattr(kind, "impl", None), typed)
    ):
        return None
    return lambda value: decode_value(column, value)
