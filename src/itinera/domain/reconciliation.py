"""Reconciliation rules (issue 11, item 6): what should agree, and by how much.

Two kinds of comparison, with tolerances from the reference data (``reconciliation.yaml``):

- **vintages**: a newer vintage of a source against the older one, figure by figure for the
  same periods: what the publisher revised, and by how much;
- **related indicators across publishers**: two publishers' figures that measure nearly the
  same thing on the same route and month (UNHCR sea arrivals and Frontex detections at sea;
  MMP's and UNHCR's dead and missing). They never agree exactly (detections are not persons;
  counts close at different dates): a month is listed when the gap passes the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Comparison", "ComparisonSide", "ReconciliationRules", "Tolerance", "gap_share"]


@dataclass(frozen=True)
class Tolerance:
    """A gap is within tolerance when it is at most ``absolute`` or at most ``relative`` of
    the larger figure (whichever allows more)."""

    relative: float = 0.0
    absolute: float = 0.0

    def exceeded(self, first: float, second: float) -> bool:
        gap = abs(first - second)
        return gap > self.absolute and gap > self.relative * max(abs(first), abs(second))


@dataclass(frozen=True)
class ComparisonSide:
    source: str
    indicator: str
    border_type: str | None = None  # Frontex: "sea" or "land"; None: every figure
    # True: the source's figures by nationality add up to its route-month figure (Frontex);
    # False: only its figures without nationality are totals (UNHCR's by-origin tables repeat
    # its country totals).
    sum_nationalities: bool = True


@dataclass(frozen=True)
class Comparison:
    id: str
    name: str
    left: ComparisonSide
    right: ComparisonSide
    tolerance: Tolerance
    note: str = ""


@dataclass(frozen=True)
class ReconciliationRules:
    vintage_tolerance: Tolerance
    comparisons: tuple[Comparison, ...]


def gap_share(first: float, second: float) -> float | None:
    """The gap as a share of the larger figure (``None`` when both are 0)."""
    larger = max(abs(first), abs(second))
    return None if larger == 0 else round(abs(first - second) / larger, 4)
