"""What a reviewer sees of a candidate pair: only the fields needed to decide, side by side.

Names are shown as given (any script, ``dir="auto"``) and in Latin; contact details, places of
registration and free text stay masked. An event side shows the incident, never a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from itinera.domain.tracing import Candidate

__all__ = ["PairSide", "SideBySide"]


@dataclass(frozen=True)
class PairSide:
    kind: str  # "sought person", "registration", "tracing request", "dead-and-missing event"
    reference: str
    names: tuple[tuple[str, str], ...]  # (as given, in Latin)
    sex: str | None
    birth: str | None  # a date or a year
    nationality: str | None
    event: tuple[tuple[str, str], ...] = ()  # incident facts: (label, value)


@dataclass(frozen=True)
class SideBySide:
    candidate: Candidate
    sought: PairSide
    other: PairSide
