"""Every figure of a report as a table: drawn in the report, attached to the PDF as CSV.

Table ids are stable (``key_figures``, ``monthly_arrivals``, ``by_nationality`` …) so that a
reader, or a test, can find a figure's CSV in the PDF and check it against the API.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

__all__ = ["FigureTable", "figure_tables", "to_csv"]


@dataclass(frozen=True)
class FigureTable:
    id: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def to_csv(table: FigureTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(["" if v is None else v for v in row] for row in table.rows)
    return buffer.getvalue()


def figure_tables(content: dict[str, Any]) -> list[FigureTable]:
    tables = [
        FigureTable(
            "key_figures",
            ("indicator", "value", "previous_period", "same_period_year_before", "sources"),
            [
                (k["indicator"], k["value"], k["previous"], k["year_ago"], " ".join(k["sources"]))
                for k in content["key_figures"]
            ],
        )
    ]
    if content.get("comparison"):
        other = content["comparison"]
        tables.append(
            FigureTable(
                "comparison",
                ("indicator", "period", "other_period", "value", "other_value"),
                [
                    (
                        k["indicator"],
                        f"{content['period']['from']}..{content['period']['to']}",
                        f"{other['from']}..{other['to']}",
                        k["value"],
                        o["value"],
                    )
                    for k, o in zip(content["key_figures"], other["key_figures"], strict=True)
                ],
            )
        )
    for k in content["key_figures"]:
        tables.append(
            FigureTable(
                f"monthly_{k['indicator']}",
                ("month", "value", "suppressed", "source", "change_year"),
                [
                    (p["month"], p["value"], p["suppressed"], p["source"], p["change_year"])
                    for p in k["points"]
                ],
            )
        )
    mortality = content["mortality"]
    tables.append(
        FigureTable(
            "mortality",
            ("month", "arrivals", "dead_and_missing", "per_thousand"),
            [
                (p["month"], p["arrivals"], p["dead_and_missing"], p["per_thousand"])
                for p in mortality.get("points", [])
            ],
        )
    )
    for by, items in content["breakdowns"].items():
        tables.append(
            FigureTable(
                f"by_{by}",
                ("category", "total"),
                [(i["category"], i["total"]) for i in items],
            )
        )
    departures = content["departures"]
    tables.append(
        FigureTable(
            "departures",
            ("month", "arrivals", "interceptions", "departures", "formula"),
            [
                (
                    p["month"],
                    p["arrivals"],
                    p["interceptions"],
                    p["departures"],
                    departures["formula"],
                )
                for p in departures["points"]
            ],
        )
    )
    tables.append(
        FigureTable(
            "interceptions_by_authority",
            ("country", "total"),
            [(i["category"], i["total"]) for i in content["interceptions_by_authority"]],
        )
    )
    tables.append(
        FigureTable(
            "attribution",
            ("indicator", "figures_naming_the_route", "figures_attributed_by_place"),
            [(a["indicator"], a["by_route_name"], a["by_place"]) for a in content["attribution"]],
        )
    )
    for by, counted in content["observation_counts"].items():
        tables.append(
            FigureTable(
                f"risk_observations_by_{by}",
                ("category", "observations", "persons"),
                [(r["category"], r["observations"], r["persons"]) for r in counted["rows"]],
            )
        )
    if content.get("survey"):
        survey = content["survey"]
        for part in ("incident_types", "locations"):
            tables.append(
                FigureTable(
                    f"survey_{part}",
                    ("category", "respondents", "share_pct", "n"),
                    [
                        (r["category"], r["respondents"], r["share"], survey["n"])
                        for r in survey[part]
                    ],
                )
            )
        smugglers = survey["smugglers"]
        tables.append(
            FigureTable(
                "survey_smugglers",
                ("answered", "used_smuggler", "share_used_pct", "cost_n", "median_cost_usd", "n"),
                [
                    (
                        smugglers["answered"],
                        smugglers["used"],
                        smugglers["share_used"],
                        smugglers["cost_n"],
                        smugglers["median_cost_usd"],
                        survey["n"],
                    )
                ],
            )
        )
    responses = content["responses"]
    tables.append(
        FigureTable(
            "service_coverage",
            ("service_type", "providers", "share_length_pct", "share_demand_pct", "gaps"),
            [
                (c["service_type"], c["providers"], c["share_length"], c["share_demand"], c["gaps"])
                for c in responses["coverage"]
            ],
        )
    )
    tables.append(
        FigureTable(
            "siting_proposals",
            ("label", "lat", "lon", "added_demand"),
            [(s["label"], s["lat"], s["lon"], s["added_demand"]) for s in responses["sites"]],
        )
    )
    activities = responses["activities"]
    tables.append(
        FigureTable(
            "activities_by_pillar",
            ("year", "pillar", "organisations", "activities", "reached", "gap_countries"),
            [
                (
                    activities["year"],
                    r["pillar"],
                    r["organisations"],
                    r["activities"],
                    r["reached"],
                    " ".join(r["gap_countries"]),
                )
                for r in activities["rows"]
            ],
        )
    )
    tables.append(
        FigureTable(
            "alerts",
            ("kind", "indicator", "month", "severity", "value"),
            [
                (a["kind"], a.get("indicator"), a["month"], a.get("severity"), a.get("value"))
                for a in content["alerts"]
            ],
        )
    )
    return tables
