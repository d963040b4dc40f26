"""The contract every movement-data reader fulfils.

Each reader module defines its ``SPEC``; the movements capability registers them in the one
registry of readers (``services.imports.readers``, keyed by kind and name).

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
from datetime import date
from typing import Any

from itinera.domain.issues import Issue
from itinera.domain.observation import AgeGroup, Incident, Observation, Period, PeriodKind, Sex

__all__ = [
    "DatasetInfo",
    "FlatObservation",
    "ImportResult",
    "Reader",
    "ReaderSpec",
    "flatten",
    "unflatten",
]

FlatObservation = tuple[
    str,
    float,
    str,
    date,
    date,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    int | None,
    int | None,
    bool,
    str | None,
    float | None,
]
"""An observation as a plain tuple, for readers of very large files: indicator, value, period
kind, period start, period end, route name, route id, country, place, nationality, sex, age
group, border type, source row, admin level, correction, route method, route distance (enums
as their values; no note)."""


def flatten(o: Observation) -> FlatObservation:
    period = o.period
    return (
        o.indicator,
        o.value,
        period.kind.value,
        period.start,
        period.end,
        o.route_name,
        o.route_id,
        o.country,
        o.place,
        o.nationality,
        o.sex.value if o.sex else None,
        o.age_group.value if o.age_group else None,
        o.border_type,
        o.source_row,
        o.admin_level,
        o.correction,
        o.route_method,
        o.route_distance_km,
    )


def unflatten(f: FlatObservation) -> Observation:
    return Observation(
        f[0],
        f[1],
        Period(f[3], f[4], PeriodKind(f[2])),
        route_name=f[5],
        route_id=f[6],
        country=f[7],
        place=f[8],
        nationality=f[9],
        sex=Sex(f[10]) if f[10] else None,
        age_group=AgeGroup(f[11]) if f[11] else None,
        border_type=f[12],
        source_row=f[13],
        admin_level=f[14],
        correction=f[15],
        route_method=f[16],
        route_distance_km=f[17],
    )


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
    # The same figures as ``observations``, flat, when the reader offers them (large files):
    # the import service then reads these instead. Consume one of the two, not both.
    flat: Iterable[FlatObservation] | None = None
    # The same again, where runs of rows come column by column (``flat_columns.FlatColumns``,
    # a row's figures in file order): what the import service prefers. Consume one only.
    columns: Iterable[Any] | None = None
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
