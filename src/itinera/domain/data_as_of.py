"""What a dashboard's figures are "as of" (C3, issue 12): the last month each source covers
for the indicators shown, and which sources stop before the end of the period a reader chose,
so that a total drawn from fewer sources than usual is never presented without a note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from itinera.domain.movement_records import SourceCoverage

__all__ = ["SourceAsOf", "as_of", "short_of"]


@dataclass(frozen=True, slots=True)
class SourceAsOf:
    """One source's span over the indicators a page shows."""

    source: str
    publisher: str
    indicators: tuple[str, ...]
    first: dt.date
    last: dt.date


def as_of(coverages: Iterable[SourceCoverage], indicators: Iterable[str]) -> list[SourceAsOf]:
    """Per source, the span of its figures of ``indicators`` (sources without any left out),
    latest first so that the freshest source heads the list."""
    wanted = set(indicators)
    spans: dict[str, list[SourceCoverage]] = {}
    for coverage in coverages:
        if coverage.indicator in wanted:
            spans.setdefault(coverage.source, []).append(coverage)
    found = [
        SourceAsOf(
            source=key,
            publisher=parts[0].publisher,
            indicators=tuple(sorted({p.indicator for p in parts})),
            first=min(p.first for p in parts),
            last=max(p.last for p in parts),
        )
        for key, parts in spans.items()
    ]
    return sorted(found, key=lambda s: (-s.last.toordinal(), s.source))


def short_of(sources: Iterable[SourceAsOf], first: dt.date, last: dt.date) -> list[SourceAsOf]:
    """The sources whose figures stop before ``last`` or start after ``first`` (both days of
    the chosen period): the period's totals lack them for part of it."""
    return [s for s in sources if s.last < last or s.first > first]
