"""Mortality rate on a route: (dead + missing) / (arrivals + dead + missing).

The denominator approximates the people who attempted the crossing: those who arrived plus those
who died or went missing. Caveats (docs/analytics.md): arrivals undercount (people who were not
registered, intercepted and returned, or turned back do not appear), dead and missing are minimum
estimates, and only figures counted in persons may enter the formula; Frontex counts detections
(one person crossing twice is two detections) and is refused here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from itinera.domain.analytics.series import Month
from itinera.domain.observation import Unit

__all__ = ["MortalityRate", "mortality_over", "mortality_rate", "mortality_series"]

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class MortalityRate:
    arrivals: float | None
    dead_and_missing: float | None
    rate: float | None  # None: undefined (arrivals or dead and missing unknown, or 0 / 0)

    @property
    def per_thousand(self) -> float | None:
        return None if self.rate is None else self.rate * 1000


def _check_unit(unit: Unit | str) -> None:
    if Unit(unit) is not Unit.PERSONS:
        raise ValueError(
            f"the mortality rate needs arrivals counted in persons, not {Unit(unit).value}"
        )


def mortality_rate(
    arrivals: float | None,
    dead_and_missing: float | None,
    arrivals_unit: Unit | str = Unit.PERSONS,
) -> MortalityRate:
    """The rate for one period. Undefined (``None``, never 0) when arrivals are unknown, when
    dead and missing are unknown, or when nobody is counted at all."""
    _check_unit(arrivals_unit)
    if arrivals is None or dead_and_missing is None:
        return MortalityRate(arrivals, dead_and_missing, None)
    denominator = arrivals + dead_and_missing
    rate = dead_and_missing / denominator if denominator > 0 else None
    return MortalityRate(arrivals, dead_and_missing, rate)


def mortality_series(
    arrivals: Mapping[Month, float],
    dead_and_missing: Mapping[Month, float],
    months: Iterable[Month],
    arrivals_unit: Unit | str = Unit.PERSONS,
) -> dict[Month, MortalityRate]:
    return {
        m: mortality_rate(arrivals.get(m), dead_and_missing.get(m), arrivals_unit) for m in months
    }


def mortality_over(
    arrivals: Mapping[K, float],
    dead_and_missing: Mapping[K, float],
    months: Iterable[K],
    arrivals_unit: Unit | str = Unit.PERSONS,
) -> MortalityRate:
    """The rate over several months (keyed by ``Month`` or by month index): sums of both
    figures, undefined if any month lacks one (a partial sum would understate the
    denominator)."""
    wanted = list(months)
    if not wanted or any(m not in arrivals or m not in dead_and_missing for m in wanted):
        _check_unit(arrivals_unit)
        known_a = [arrivals[m] for m in wanted if m in arrivals]
        known_d = [dead_and_missing[m] for m in wanted if m in dead_and_missing]
        return MortalityRate(
            sum(known_a) if known_a else None, sum(known_d) if known_d else None, None
        )
    return mortality_rate(
        sum(arrivals[m] for m in wanted), sum(dead_and_missing[m] for m in wanted), arrivals_unit
    )
