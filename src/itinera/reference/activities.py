"""Packaged reference data of activities (C6): sectors → pillars and the legacy HXL tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from itinera.domain.activity import Aggregation
from itinera.domain.errors import ReferenceDataError
from itinera.domain.monitoring_plan import Direction, MonitoringIndicator
from itinera.reference.files import default_data_dir

__all__ = [
    "LegacyTags",
    "SectorMapping",
    "legacy_tags",
    "monitoring_catalogue",
    "packaged_mapping",
    "packaged_mapping_names",
    "sector_key",
    "sector_mappings",
]

SECTORS_FILE = "activity_sectors.yaml"
LEGACY_FILE = "activity_legacy_tags.yaml"


@dataclass(frozen=True)
class SectorMapping:
    sector: str
    pillar: int | None  # None: not work with people on the move (coordination …)
    service_types: tuple[str, ...] = ()
    key_area: str | None = None


@dataclass(frozen=True)
class LegacyTags:
    tags: dict[str, str]  # beta hashtag → HXL 1.1
    headers: dict[str, str]  # text header of an untagged column → hashtag


def sector_key(label: str) -> str:
    """``Water, Sanitation & Hygiene`` and ``water sanitation and hygiene`` match."""
    text = label.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _load(name: str) -> dict[str, object]:
    import yaml

    document = yaml.safe_load((default_data_dir() / name).read_text("utf-8"))
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ReferenceDataError(name, "", "version", "expected a mapping with version: 1")
    return document


@cache
def sector_mappings() -> dict[str, SectorMapping]:
    """The packaged sector table by :func:`sector_key`."""
    found: dict[str, SectorMapping] = {}
    entries = _load(SECTORS_FILE)["sectors"]
    assert isinstance(entries, list)
    for index, entry in enumerate(entries):
        pillar = entry.get("pillar")
        if pillar is not None and pillar not in range(1, 7):
            raise ReferenceDataError(SECTORS_FILE, f"sectors[{index}]", "pillar", "not 1-6")
        found[sector_key(entry["sector"])] = SectorMapping(
            entry["sector"], pillar, tuple(entry.get("service_types", [])), entry.get("key_area")
        )
    return found


@cache
def legacy_tags() -> LegacyTags:
    document = _load(LEGACY_FILE)
    tags, headers = document["tags"], document["headers"]
    assert isinstance(tags, dict) and isinstance(headers, dict)
    return LegacyTags(
        {str(k): str(v) for k, v in tags.items()},
        {sector_key(str(k)): str(v) for k, v in headers.items()},
    )


def packaged_mapping_names() -> list[str]:
    return sorted(p.stem for p in (default_data_dir() / "activity_mappings").glob("*.yaml"))


def packaged_mapping(name: str) -> dict[str, object] | None:
    """A column mapping shipped with Itinera (``activityinfo``), or None."""
    if name not in packaged_mapping_names():
        return None
    return _load(f"activity_mappings/{name}.yaml")


def monitoring_catalogue() -> list[MonitoringIndicator]:
    """The packaged indicators of the monitoring plan (``monitoring_indicators.yaml``)."""
    entries = _load("monitoring_indicators.yaml")["indicators"]
    assert isinstance(entries, list)
    found = []
    for index, raw in enumerate(entries):
        if raw.get("pillar") not in range(1, 7):
            raise ReferenceDataError(
                "monitoring_indicators.yaml", f"indicators[{index}]", "pillar", "not 1-6"
            )
        found.append(
            MonitoringIndicator(
                code=raw["code"],
                name=dict(raw["name"]),
                pillar=raw["pillar"],
                unit=raw.get("unit", "persons"),
                definition=dict(raw.get("definition", {})),
                direction=Direction(raw.get("direction", "up")),
                aggregation=Aggregation(raw.get("aggregation", "sum")),
                source=raw.get("source", ""),
                frequency=raw.get("frequency", "monthly"),
                responsible=raw.get("responsible", ""),
                reported_in=raw.get("reported_in"),
                origin="reference",
            )
        )
    return found
