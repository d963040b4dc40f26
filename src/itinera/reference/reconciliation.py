"""Read ``reconciliation.yaml``: the tolerances of issue 11's reconciliation."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from itinera.domain.reconciliation import (
    Comparison,
    ComparisonSide,
    ReconciliationRules,
    Tolerance,
)
from itinera.reference.files import default_data_dir, read_document

__all__ = ["packaged_reconciliation_rules", "reconciliation_rules"]

RECONCILIATION_FILE = "reconciliation.yaml"


def reconciliation_rules(data_dir: Path) -> ReconciliationRules:
    document = read_document(data_dir, RECONCILIATION_FILE, "reconciliation.schema.json", {})
    return ReconciliationRules(
        vintage_tolerance=_tolerance(document["vintages"]["tolerance"]),
        comparisons=tuple(
            Comparison(
                id=raw["id"],
                name=raw["name"],
                left=ComparisonSide(**raw["left"]),
                right=ComparisonSide(**raw["right"]),
                tolerance=_tolerance(raw["tolerance"]),
                note=" ".join(str(raw.get("note", "")).split()),
            )
            for raw in document["comparisons"]
        ),
    )


@cache
def packaged_reconciliation_rules() -> ReconciliationRules:
    return reconciliation_rules(default_data_dir())


def _tolerance(raw: dict[str, Any]) -> Tolerance:
    return Tolerance(float(raw.get("relative", 0)), float(raw.get("absolute", 0)))
