"""Column mappings of service-list tables: from a document or by name, never from a path.

A mapping given in a request is either the document itself (an uploaded YAML/JSON file, or JSON
in a form field) or the *name* of a mapping saved in the store or packaged with Itinera. A name
is a short slug and is looked up, never opened: a form field that was once opened as a path let
a client parse ``/etc/shadow`` and the live database file. Only the CLI, run by an operator on
the server, reads a mapping file from disk (its own argument), and hands the document here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from itinera.domain.errors import ValidationError
from itinera.importers.services_table import check_mapping
from itinera.storage.database import Database
from itinera.storage.services_map.service_point_repository import ServicePointRepository

__all__ = ["MAPPING_NAME", "MAX_MAPPING_BYTES", "load_mapping", "parse_mapping_document"]

MAPPING_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
MAX_MAPPING_BYTES = 256 * 1024  # a mapping is a few dozen lines


def parse_mapping_document(text: str | bytes) -> dict[str, Any]:
    """A mapping document from YAML or JSON text (an upload or a form field)."""
    if len(text) > MAX_MAPPING_BYTES:
        raise ValidationError.single("mapping", f"larger than {MAX_MAPPING_BYTES:,} bytes")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError.single("mapping", "the mapping is not UTF-8 text") from None
    try:
        document = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError):
        raise ValidationError.single("mapping", "the mapping is not valid YAML or JSON") from None
    return _checked(document)


def _checked(document: object) -> dict[str, Any]:
    if not isinstance(document, dict) or (problems := check_mapping(document)):
        raise ValidationError.single(
            "mapping",
            "; ".join(problems if isinstance(document, dict) else ["not a mapping document"]),
        )
    return document


def _named(db: Database, name: str) -> object:
    if not MAPPING_NAME.fullmatch(name):
        raise ValidationError.single(
            "mapping",
            "a mapping name is lower-case letters, digits, '-' and '_' (upload a mapping file "
            "to use one that is not saved)",
        )
    with db.transaction() as session:
        document = ServicePointRepository(session).mapping(name)
    if document is not None:
        return document
    packaged = (
        resources.files("itinera.reference")
        / "data"
        / f"service_mapping_{name.replace('-', '_')}.yaml"
    )
    if not packaged.is_file():
        raise ValidationError.single("mapping", f"no saved or packaged mapping named {name!r}")
    return yaml.safe_load(packaged.read_text("utf-8"))


def load_mapping(db: Database, mapping: Mapping[str, Any] | str | None) -> dict[str, Any]:
    """The mapping document given, or the one saved or packaged under the name given."""
    if mapping is None or mapping == "":
        raise ValidationError.single(
            "mapping", "the table format needs a mapping (a file or a saved name)"
        )
    if isinstance(mapping, str):
        return _checked(_named(db, mapping))
    return _checked(dict(mapping))
