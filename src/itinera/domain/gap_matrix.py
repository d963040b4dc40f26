"""The gap matrix of a route (C6): countries in route order × the six pillars.

Each cell counts the organisations and activities present, and adds up people in need,
targeted and reached so that nobody is counted twice (decision 0015):

1. over the months of one activity, by its indicator's own method (``Aggregation``): a
   monthly count is summed, a cumulative one takes its largest month, a level its mean;
   targets and people in need are yearly figures repeated each month, so their largest month;
2. across partners reporting the same indicator in the same admin area, the largest (they may
   reach the same people: the conservative figure, as OCHA's 3W guidance counts reach);
3. across admin areas, the sum (different places, different people);
4. across indicators of one pillar, the largest (one person counted by several indicators).

A cell where people move (the country has movement figures in the year) but no organisation
works in that pillar is flagged as a gap.

The store applies the same four steps in one grouped SQL query (``CellFigures`` per country and
pillar); :func:`cell_figures` is the reference it is tested against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from itinera.domain.activity import PILLARS, Aggregation

__all__ = [
    "ActivityFacts",
    "CellFigures",
    "GapCell",
    "GapRow",
    "aggregate_months",
    "build_matrix",
    "cell_figures",
    "coverage_colour",
    "matrix_from_cells",
]


@dataclass(frozen=True)
class ActivityFacts:
    """What the matrix needs of one activity: where, who, and its figures in the year."""

    activity_id: int
    organisation_id: int
    country: str
    pillar: int
    adm1: str | None
    indicator: str  # the indicator, or the sector when it names none
    aggregation: Aggregation
    # (period, in need, targeted, reached) — one row per period, totals over sex and age
    figures: Sequence[tuple[str, float | None, float | None, float | None]] = ()


@dataclass(frozen=True)
class CellFigures:
    """One country × pillar of the matrix once the four steps are applied."""

    country: str
    pillar: int
    organisations: int
    activities: int
    in_need: float | None
    targeted: float | None
    reached: float | None


@dataclass
class GapCell:
    organisations: int = 0
    activities: int = 0
    in_need: float | None = None
    targeted: float | None = None
    reached: float | None = None
    actors_per_1000: float | None = None
    coverage: str = "none"  # none · presence · low · partial · good
    gap: bool = False  # people move through, nobody works in this pillar

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisations": self.organisations,
            "activities": self.activities,
            "in_need": self.in_need,
            "targeted": self.targeted,
            "reached": self.reached,
            "actors_per_1000": self.actors_per_1000,
            "coverage": self.coverage,
            "gap": self.gap,
        }


@dataclass
class GapRow:
    country: str
    role: str
    movement: dict[str, float]
    people_moving: float | None
    pillars: dict[int, GapCell]

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "role": self.role,
            "movement": {**self.movement, "people_moving": self.people_moving},
            "pillars": {str(number): cell.as_dict() for number, cell in self.pillars.items()},
        }


def coverage_colour(organisations: int, targeted: float | None, reached: float | None) -> str:
    """``none`` (no actor), ``presence`` (actors, no figures), else reached ÷ targeted:
    ``low`` under 40 %, ``partial`` under 75 %, ``good`` from 75 %."""
    if organisations == 0:
        return "none"
    if not targeted or reached is None:
        return "presence"
    ratio = reached / targeted
    return "good" if ratio >= 0.75 else "partial" if ratio >= 0.4 else "low"


def aggregate_months(values: list[float], method: Aggregation) -> float | None:
    """One series' months by its indicator's method; None when there are none."""
    if not values:
        return None
    if method is Aggregation.SUM:
        return sum(values)
    if method is Aggregation.AVERAGE:
        return fmean(values)
    if method is Aggregation.COUNT_SITES:
        return 1.0 if any(v > 0 for v in values) else 0.0
    return max(values)


def _activity_totals(
    facts: ActivityFacts,
) -> tuple[float | None, float | None, float | None]:
    """(in need, targeted, reached) of one activity over the year: each figure summed within a
    month (sex, age group), then the largest month for people in need and targeted, and the
    indicator's method for reached; months without that figure do not count."""
    by_period: list[dict[str, float]] = [defaultdict(float) for _ in range(3)]
    for period, *values in facts.figures:
        for index, value in enumerate(values):
            if value is not None:
                by_period[index][period] += value
    need, target, reach = ([months[p] for p in sorted(months)] for months in by_period)
    return (
        max(need) if need else None,
        max(target) if target else None,
        aggregate_months(reach, facts.aggregation),
    )


def _combine(
    per_activity: Iterable[tuple[str, str | None, float | None]],
) -> float | None:
    """(indicator, adm1, value) → max across partners in an area, sum across areas, max
    across indicators."""
    areas: dict[str, dict[str | None, float]] = defaultdict(dict)
    for indicator, adm1, value in per_activity:
        if value is None:
            continue
        key = (adm1 or "").casefold() or None
        areas[indicator][key] = max(areas[indicator].get(key, 0.0), value)
    if not areas:
        return None
    return max(sum(by_area.values()) for by_area in areas.values())


def cell_figures(activities: Iterable[ActivityFacts]) -> list[CellFigures]:
    """The four steps in Python, one ``CellFigures`` per country and pillar with an activity."""
    grouped: dict[tuple[str, int], list[ActivityFacts]] = defaultdict(list)
    for one in activities:
        grouped[(one.country, one.pillar)].append(one)
    found = []
    for (country, pillar), facts in grouped.items():
        totals = [(f, _activity_totals(f)) for f in facts]
        found.append(
            CellFigures(
                country,
                pillar,
                organisations=len({f.organisation_id for f in facts}),
                activities=len(facts),
                in_need=_combine((f.indicator, f.adm1, t[0]) for f, t in totals),
                targeted=_combine((f.indicator, f.adm1, t[1]) for f, t in totals),
                reached=_combine((f.indicator, f.adm1, t[2]) for f, t in totals),
            )
        )
    return found


def build_matrix(
    countries: Sequence[tuple[str, str]],
    activities: Iterable[ActivityFacts],
    movement: Mapping[str, Mapping[str, float]],
) -> list[GapRow]:
    """The matrix from each activity's facts (the reference path; see the module doc)."""
    return matrix_from_cells(countries, cell_figures(activities), movement)


def matrix_from_cells(
    countries: Sequence[tuple[str, str]],
    cells: Iterable[CellFigures],
    movement: Mapping[str, Mapping[str, float]],
    moving_indicators: Sequence[str] = ("arrivals", "departures", "irregular_crossings_detected"),
) -> list[GapRow]:
    """One row per ``(country, role)`` of the route, in that order: each cell's figures with
    its actors per 1,000 people moving, coverage colour and gap flag."""
    by_key = {(c.country, c.pillar): c for c in cells}
    rows = []
    for country, role in countries:
        figures = dict(movement.get(country, {}))
        moving = next((figures[i] for i in moving_indicators if figures.get(i)), None)
        row = {pillar: _cell(by_key.get((country, pillar)), figures, moving) for pillar in PILLARS}
        rows.append(GapRow(country, role, figures, moving, row))
    return rows


def _cell(
    figures: CellFigures | None, movement: Mapping[str, float], moving: float | None
) -> GapCell:
    cell = GapCell()
    if figures is not None:
        cell = GapCell(
            organisations=figures.organisations,
            activities=figures.activities,
            in_need=figures.in_need,
            targeted=figures.targeted,
            reached=figures.reached,
        )
    if moving:
        cell.actors_per_1000 = round(cell.organisations * 1000 / moving, 3)
    cell.coverage = coverage_colour(cell.organisations, cell.targeted, cell.reached)
    cell.gap = cell.organisations == 0 and any(v for v in movement.values())
    return cell
