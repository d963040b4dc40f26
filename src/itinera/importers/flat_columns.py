"""Many flat observations at once, column by column, for readers of very large files (C2).

A publisher's file repeats a few values millions of times (6 routes, 9 countries, 204 months
in a million rows), so each dimension travels *coded*: its distinct values once, and per
figure the index of its value. Whoever checks or resolves a value (the import service: an
indicator's unit, a route's id, a period's stored dates) does it once per distinct value and
spreads the answer with one ``take``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Coded", "FlatColumns", "take"]

Indices = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Coded:
    """One column: ``values[codes[i]]`` is the value of figure ``i``."""

    values: tuple[Any, ...]
    codes: Indices

    @classmethod
    def constant(cls, value: Any, size: int) -> Coded:
        return cls((value,), np.zeros(size, dtype=np.intp))

    def subset(self, rows: Indices) -> Coded:
        """The same column for the figures at ``rows`` only."""
        return Coded(self.values, self.codes[rows])

    def column(self) -> list[Any]:
        """The value of every figure, as a Python list."""
        return take(self.values, self.codes)


def take(values: tuple[Any, ...] | list[Any], codes: Indices) -> list[Any]:
    """``[values[c] for c in codes]``, in C (values may be tuples: no broadcasting)."""
    table = np.empty(len(values), dtype=object)
    for index, value in enumerate(values):
        table[index] = value
    result: list[Any] = table[codes].tolist()
    return result


@dataclass(frozen=True)
class FlatColumns:
    """The figures of consecutive rows, in file order (a row's figures together), with the
    meaning of ``FlatObservation``: ``period`` holds ``(kind, start, end)`` and ``route``
    ``(route name, route id)``; ``value`` and ``source_row`` are plain arrays."""

    indicator: Coded
    value: npt.NDArray[np.float64]
    period: Coded
    route: Coded
    country: Coded
    place: Coded
    nationality: Coded
    sex: Coded
    age_group: Coded
    border_type: Coded
    source_row: npt.NDArray[np.int64]
    admin_level: Coded
    correction: Coded

    def __len__(self) -> int:
        return len(self.value)

    def record(self, i: int) -> tuple[Any, ...]:
        """Figure ``i`` as a ``FlatObservation`` tuple."""

        def at(column: Coded) -> Any:
            return column.values[column.codes[i]]

        kind, start, end = at(self.period)
        route_name, route_id = at(self.route)
        return (
            at(self.indicator),
            float(self.value[i]),
            kind,
            start,
            end,
            route_name,
            route_id,
            at(self.country),
            at(self.place),
            at(self.nationality),
            at(self.sex),
            at(self.age_group),
            at(self.border_type),
            int(self.source_row[i]),
            at(self.admin_level),
            at(self.correction),
            None,  # route method and distance: files that carry them are read row by row
            None,
        )
