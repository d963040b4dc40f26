"""Flat tables (header + rows) of analytics results, for CSV downloads and the CLI."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from itinera.domain.spreadsheet_cells import SafeCsvWriter

__all__ = ["alerts_table", "mortality_table", "series_table", "to_csv"]

Table = tuple[list[str], list[list[Any]]]


def series_table(series: dict[str, Any]) -> Table:
    if series.get("by"):
        header = ["route_id", "indicator", "unit", series["by"], "month", "value"]
        rows = [
            [
                series["route_id"],
                series["indicator"],
                series["unit"],
                item["category"],
                month,
                value,
            ]
            for item in series["breakdown"]
            for month, value in item["values"].items()
        ]
        return header, rows
    header = [
        "route_id",
        "indicator",
        "unit",
        "month",
        "value",
        "suppressed",
        "source",
        "batches",
        "change_month",
        "change_year",
        "rolling_12",
    ]
    rows = [
        [
            series["route_id"],
            series["indicator"],
            series["unit"],
            p["month"],
            p["value"],
            p["suppressed"],
            p["source"],
            " ".join(str(b) for b in p["batches"]),
            p["change_month"],
            p["change_year"],
            p["rolling_12"],
        ]
        for p in series["points"]
    ]
    return header, rows


def mortality_table(mortality: dict[str, Any]) -> Table:
    header = ["route_id", "month", "arrivals", "dead_and_missing", "rate", "per_thousand"]
    rows = [
        [
            mortality["route_id"],
            p["month"],
            p["arrivals"],
            p["dead_and_missing"],
            p["rate"],
            p["per_thousand"],
        ]
        for p in mortality["points"]
    ]
    return header, rows


def alerts_table(alerts: Sequence[dict[str, Any]]) -> Table:
    header = ["kind", "route_id", "indicator", "month", "severity", "message"]
    return header, [[a[h] for h in header] for a in alerts]


def to_csv(table: Table) -> str:
    """CSV with empty cells for undefined or suppressed figures."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(table[0])
    for row in table[1]:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()
