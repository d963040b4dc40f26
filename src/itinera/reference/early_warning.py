"""Read ``early_warning.yaml``: early-warning thresholds per route and indicator (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from itinera.domain.analytics.early_warning import EarlyWarningSettings
from itinera.domain.errors import ReferenceDataError
from itinera.reference.files import default_data_dir, read_document
from itinera.reference.indicators import packaged_indicators

__all__ = ["EarlyWarningRules", "early_warning_rules", "packaged_early_warning"]

EARLY_WARNING_FILE = "early_warning.yaml"
_KEYS = ("min_difference", "min_ratio", "min_log_spread", "min_years", "max_years")


@dataclass(frozen=True)
class EarlyWarningRules:
    defaults: EarlyWarningSettings = field(default_factory=EarlyWarningSettings)
    overrides: dict[tuple[str, str], EarlyWarningSettings] = field(default_factory=dict)

    def settings(self, route: str | None, indicator: str) -> EarlyWarningSettings:
        """The settings for ``route`` and ``indicator``: its override, else the defaults."""
        return self.overrides.get((route or "", indicator), self.defaults)


def _settings(raw: dict[str, Any], base: EarlyWarningSettings, where: str) -> EarlyWarningSettings:
    values: dict[str, Any] = {k: raw[k] for k in _KEYS if k in raw}
    if "thresholds" in raw:
        values["thresholds"] = tuple(float(t) for t in raw["thresholds"])
    merged = {**{k: getattr(base, k) for k in (*_KEYS, "thresholds")}, **values}
    try:
        return EarlyWarningSettings(**merged)
    except ValueError as exc:
        raise ReferenceDataError(EARLY_WARNING_FILE, where, "", str(exc)) from exc


def early_warning_rules(data_dir: Path) -> EarlyWarningRules:
    document = read_document(data_dir, EARLY_WARNING_FILE, "early-warning.schema.json", {})
    defaults = _settings(document["defaults"], EarlyWarningSettings(), "defaults")
    overrides: dict[tuple[str, str], EarlyWarningSettings] = {}
    for i, raw in enumerate(document.get("overrides", [])):
        key = (raw["route"], raw["indicator"])
        where = f"overrides[{i}] ({key[0]}, {key[1]})"
        if key in overrides:
            raise ReferenceDataError(EARLY_WARNING_FILE, where, "", "listed twice")
        if key[1] not in packaged_indicators().indicators:
            message = f"{key[1]!r} is not an indicator of indicators.yaml"
            raise ReferenceDataError(EARLY_WARNING_FILE, where, "indicator", message)
        overrides[key] = _settings(raw, defaults, where)
    return EarlyWarningRules(defaults, overrides)


@cache
def packaged_early_warning() -> EarlyWarningRules:
    return early_warning_rules(default_data_dir())
