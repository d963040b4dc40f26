"""Read one reference data file: YAML, validated against its JSON schema.

A malformed file raises :class:`ReferenceDataError` naming the file, the entry and the field.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from itinera.domain.errors import ReferenceDataError

__all__ = ["default_data_dir", "read_document"]


def default_data_dir() -> Path:
    return Path(str(resources.files("itinera.reference") / "data"))


@cache
def _schema(name: str) -> dict[str, Any]:
    text = (resources.files("itinera.reference") / "schemas" / name).read_text("utf-8")
    return dict(json.loads(text))


def read_document(
    data_dir: Path, filename: str, schema: str, versions: dict[str, tuple[int, str]]
) -> dict[str, Any]:
    """The validated document of one file; records its (version, sha256) in ``versions``."""
    path = data_dir / filename
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReferenceDataError(
            filename, "", "", f"cannot read the file ({exc.strerror})"
        ) from exc
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise ReferenceDataError(filename, where, "", f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise ReferenceDataError(filename, "", "", "the file must hold a mapping at the top")
    validator = jsonschema.Draft202012Validator(_schema(schema))
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        entry, field_path = _locate(document, list(error.absolute_path))
        raise ReferenceDataError(filename, entry, field_path, error.message)
    versions[filename] = (int(document["version"]), hashlib.sha256(raw).hexdigest())
    return document


def _locate(document: dict[str, Any], path: list[str | int]) -> tuple[str, str]:
    """Split a JSON path into the entry (``routes[2] (central-mediterranean)``) and the field."""
    if len(path) < 2 or not isinstance(path[1], int):
        return "", ".".join(str(p) for p in path)
    section, index = str(path[0]), path[1]
    entry = f"{section}[{index}]"
    item = document.get(section, [])[index]
    if isinstance(item, dict) and isinstance(item.get("id") or item.get("code"), str):
        entry += f" ({item.get('id') or item.get('code')})"
    field_path = ""
    for part in path[2:]:
        field_path += f"[{part}]" if isinstance(part, int) else (f".{part}" if field_path else part)
    return entry, field_path
