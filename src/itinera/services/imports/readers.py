"""The one registry of readers, keyed by (kind, name).

A capability plugs its readers in from its ``register()`` (called by ``bootstrap``), never at
import: ``register_reader(FileReader("movements", "missing-migrants", read_mmp, "…"))``. The
import pipeline finds the reader by kind and name and hands what it read to the kind's store
step, which knows the shape its own readers return.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from itinera.domain.errors import ValidationError

__all__ = ["FileReader", "reader_for", "readers", "register_reader"]

Read = Callable[..., object]
"""``read(path, **options)``: the records and the issues found, in the kind's own shape."""


@dataclass(frozen=True)
class FileReader:
    kind: str  # "movements", "services" …
    name: str  # the word users type: ``itinera import <name> FILE``, ``--format <name>``
    read: Read
    description: str


_READERS: dict[tuple[str, str], FileReader] = {}


def register_reader(reader: FileReader) -> None:
    """Add (or replace) a reader; safe to call twice."""
    _READERS[(reader.kind, reader.name)] = reader


def readers(kind: str) -> dict[str, FileReader]:
    """The readers of one kind, by name, in name order."""
    return {name: r for (k, name), r in sorted(_READERS.items()) if k == kind}


def reader_for(kind: str, name: str, *, field: str = "reader") -> FileReader:
    """The reader, or a ``ValidationError`` on ``field`` that names the known ones."""
    try:
        return _READERS[(kind, name)]
    except KeyError:
        known = ", ".join(readers(kind)) or "none"
        message = f"no {kind} reader named {name!r} (known: {known})"
        raise ValidationError.single(field, message) from None
