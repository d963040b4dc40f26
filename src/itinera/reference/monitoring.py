"""The field monitoring vocabularies from ``monitoring.yaml`` (schema-checked)."""

from __future__ import annotations

from functools import cache

from itinera.domain.monitoring import VOCABULARY_LISTS, Vocabularies
from itinera.reference.files import default_data_dir, read_document

__all__ = ["MONITORING_FILE", "packaged_vocabularies"]

MONITORING_FILE = "monitoring.yaml"


@cache
def packaged_vocabularies() -> Vocabularies:
    document = read_document(default_data_dir(), MONITORING_FILE, "monitoring.schema.json", {})
    lists = {
        name: {item["code"]: dict(item["name"]) for item in document[name]}
        for name in VOCABULARY_LISTS
    }
    return Vocabularies(lists, int(document["version"]))
