"""Replay early warning over Frontex 2015–2025, month by month, against turning points that
publishers' reports are cited for (issue 11).

    PYTHONPATH=src .venv/bin/python benchmarks/replay_early_warning.py [--data ../shared/data]

Each month is judged with the figures known up to that month only (``detect_anomalies`` reads a
month and earlier months). For every turning point: the first flag in the turn's direction from
two months before the turn to six months after it (the lag, in months; negative when the data
turned before the month the report names). Quiet months: the months of a route at least 3 before
and 12 after each of its turning points; a flag there is counted as a false alarm. The settings
are the packaged ones (``reference/data/early_warning.yaml``) for the catalogue route each Frontex
route stands for, else the defaults. Prints a Markdown table (docs/analytics.md) and exits
non-zero when a turning point is missed.

Citations: no Frontex Risk Analysis and no Frontex news release is held in the repository or in
``../shared`` (there is no internet here), so each turn's ``checked`` column says what the
sources at hand do show: ``unverified`` (cited from memory), ``partly verified`` (another
publisher's statement quoted in ``../shared/reference/analytics-anchors.md`` §1.7, named with its
passage), or a figure checked against the Frontex file itself — never more than that.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from itinera.domain.analytics.early_warning import Direction, Severity, detect_anomalies
from itinera.domain.analytics.series import Month, months_between
from itinera.reference.early_warning import packaged_early_warning

FRONTEX = Path("frontex-ibc-2025-06") / "frontex_long_iom_gdidata.derived.csv"
INDICATOR = "irregular_crossings_detected"
FIRST, LAST = Month(2015, 1), Month(2025, 4)
# Frontex route -> the catalogue route whose thresholds apply (None: defaults)
CATALOGUE = {
    "Central Mediterranean Route": "central-mediterranean",
    "Eastern Mediterranean Route": "eastern-mediterranean",
    "Western Mediterranean Route": "western-mediterranean",
    "Western African Route": "west-africa-atlantic",
    "Western Balkan Route": None,
    "Eastern Borders Route": None,
}


@dataclass(frozen=True)
class Turn:
    route: str
    month: Month
    direction: Direction
    what: str
    source: str
    gradual: bool = False  # a drift over many months, not a turn: shown, not required
    checked: str = ""  # what the sources held here show of the citation (module doc)


RA = "Frontex, Risk Analysis for"
ANCHORS = "../shared/reference/analytics-anchors.md §1.7"
UNVERIFIED = "unverified: no copy of the cited report here"
NEWS = "Frontex, news release of 14 Jan 2025 (preliminary 2024)"
TURNS = (
    Turn("Western Balkan Route", Month(2015, 7), Direction.UP, "2015 surge", f"{RA} 2016"),
    Turn("Eastern Mediterranean Route", Month(2015, 5), Direction.UP, "2015 surge", f"{RA} 2016"),
    Turn(
        "Western Balkan Route",
        Month(2016, 3),
        Direction.DOWN,
        "closure of the corridor",
        f"{RA} 2017",
    ),
    Turn(
        "Eastern Mediterranean Route",
        Month(2016, 3),
        Direction.DOWN,
        "fall after the EU–Turkey statement",
        f"{RA} 2017",
    ),
    Turn("Central Mediterranean Route", Month(2017, 7), Direction.DOWN, "2017 fall", f"{RA} 2018"),
    Turn("Western Mediterranean Route", Month(2018, 6), Direction.UP, "2018 rise", f"{RA} 2019"),
    Turn(
        "Western African Route",
        Month(2020, 9),
        Direction.UP,
        "Canaries 2020 rise",
        f"{RA} 2021",
        checked=f"partly verified: not Frontex but UNHCR Spain (Oct 2020), in {ANCHORS}: the "
        'Canaries increase "could be due to closure of borders or difficulties to access the '
        'traditional routes" (via a news site); the Frontex report and the month unverified',
    ),
    Turn("Eastern Borders Route", Month(2021, 6), Direction.UP, "Belarus 2021", f"{RA} 2022"),
    Turn(
        "Eastern Mediterranean Route",
        Month(2020, 4),
        Direction.DOWN,
        "COVID-19 travel restrictions",
        f"{RA} 2021",
    ),
    Turn(
        "Western Balkan Route",
        Month(2022, 3),
        Direction.UP,
        "2022 highest since 2016 (after a rise through 2021)",
        f"{RA} 2023",
        gradual=True,
    ),
    Turn("Central Mediterranean Route", Month(2023, 2), Direction.UP, "2023 rise", f"{RA} 2024"),
    Turn(
        "Western African Route",
        Month(2023, 9),
        Direction.UP,
        "Canaries 2023 rise",
        f"{RA} 2024",
        checked=f"partly verified: {ANCHORS}: \"Spain's Canary Islands: 39,910 arrivals in 2023 "
        '(then a record)" (Brussels Times, not Frontex); the Frontex report and the month '
        "unverified",
    ),
    Turn(
        "Western Balkan Route",
        Month(2023, 11),
        Direction.DOWN,
        "fall from late 2023 (−78 % in 2024 in the Frontex file)",
        NEWS,
        checked=f"unverified (the release); the figure is the Frontex file's, {ANCHORS} table: "
        "99,002 (2023) → 21,525 (2024)",
    ),
    Turn(
        "Central Mediterranean Route",
        Month(2024, 1),
        Direction.DOWN,
        "2024 fall (−58 % in the Frontex file)",
        NEWS,
        checked=f"unverified (the release); the figure is the Frontex file's, {ANCHORS}: \"2024: "
        'Central Med −58 % (158,026→66,855)"',
    ),
    Turn(
        "Eastern Borders Route",
        Month(2024, 4),
        Direction.UP,
        "2024 rise at the Belarus border",
        NEWS,
    ),
)


def route_series(path: Path) -> dict[str, dict[Month, float]]:
    """Detections per Frontex route and month (all border types and nationalities)."""
    totals: dict[str, dict[Month, float]] = defaultdict(lambda: defaultdict(float))
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year, month = row["t"].split("-")
            totals[row["route"]][Month(int(year), int(month))] += float(row["n"])
    return {route: dict(series) for route, series in totals.items()}


def replay(series: dict[str, dict[Month, float]]) -> tuple[list[list[str]], bool]:
    months = months_between(FIRST, LAST)
    flags = {}
    for route, catalogue_id in CATALOGUE.items():
        settings = packaged_early_warning().settings(catalogue_id, INDICATOR)
        flags[route] = {a.month: a for a in detect_anomalies(series[route], months, settings)}
    rows, all_caught = [], True
    for turn in TURNS:
        window = months_between(turn.month.shift(-2), turn.month.shift(6))
        hit = next(
            (
                m
                for m in window
                if (a := flags[turn.route].get(m)) and a.direction is turn.direction
            ),
            None,
        )
        all_caught &= hit is not None or turn.gradual
        lag = "missed" if hit is None else str(hit.index - turn.month.index)
        lag += " (gradual)" if turn.gradual else ""
        severity = "—" if hit is None else flags[turn.route][hit].severity.value
        rows.append(
            [
                turn.route,
                turn.month.code,
                turn.direction.value,
                turn.what,
                turn.source,
                lag,
                severity,
                turn.checked or UNVERIFIED,
            ]
        )
    for route in CATALOGUE:
        turns = [t.month.index for t in TURNS if t.route == route]
        quiet = [m for m in months if all(not -3 <= m.index - t <= 12 for t in turns)]
        false = [flags[route][m] for m in quiet if m in flags[route]]
        strong = sum(1 for a in false if a.severity is not Severity.WATCH)
        rows.append(
            [
                route,
                "quiet months",
                "",
                f"{len(quiet)} months",
                "",
                f"{len(false)} flags",
                f"{strong} warning or alert",
                "",
            ]
        )
    return rows, all_caught


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    rows, all_caught = replay(route_series(args.data / FRONTEX))
    head = [
        "route",
        "turn",
        "way",
        "what",
        "source as cited",
        "first flag (months after)",
        "severity",
        "citation checked",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0 if all_caught else 1


if __name__ == "__main__":
    sys.exit(main())
