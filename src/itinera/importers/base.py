"""The contract every movement-data reader fulfils, and the registry of readers.

A reader turns one publisher's file into observations and incidents plus the issues it
found (STYLE.md rule 3: collect, do not stop at the first). It does not touch the store:
the movements service resolves routes, stores the batch atomically and reports.

``observations`` and ``incidents`` may be lazy iterables so that large files stream; the
reader appends to ``issues`` and updates the counters while they are consumed, so read the
counters only after consuming both iterables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from itinera.domain.issues import Issue
from itinera.domain.observation import Incident, Observation

__all__ = [
    "DatasetInfo",
    "ImportResult",
    "Reader",
    "ReaderSpec",
    "reader_for",
    "readers",
    "register_reader",
]


@dataclass(frozen=True)
class DatasetInfo:
    """Provenance shared by every record of one file."""

    source: str  # stable source key, e.g. "iom-mmp", "frontex-ibc", "unhcr-med"
    publisher: str  # e.g. "IOM Missing Migrants Project"
    dataset: str  # what the file is, e.g. "MMP global incidents, 25-column export"
    vintage: str | None = None  # the publication date or version, when the file says it
    format: str = ""  # the reader's name


@dataclass
class ImportResult:
    dataset: DatasetInfo
    observations: Iterable[Observation] = ()
    incidents: Iterable[Incident] = ()
    issues: list[Issue] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0


Reader = Callable[..., ImportResult]
"""``reader(path: Path, *, source: str | None = None, **options) -> ImportResult``."""


@dataclass(frozen=True)
class ReaderSpec:
    name: str  # the CLI word: ``itinera import <name> FILE``
    reader: Reader
    description: str


_READERS: dict[str, ReaderSpec] = {}


def register_reader(name: str, reader: Reader, description: str) -> None:
    _READERS[name] = ReaderSpec(name, reader, description)


def readers() -> dict[str, ReaderSpec]:
    return dict(_READERS)


def reader_for(name: str) -> ReaderSpec:
    try:
        return _READERS[name]
    except KeyError:
        known = ", ".join(sorted(_READERS)) or "none"
        raise KeyError(f"no reader named {name!r} (known: {known})") from None
