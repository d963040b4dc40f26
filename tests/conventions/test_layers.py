"""Dependencies point inwards (STYLE.md): checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "itinera"

# layer -> the itinera layers it must not import
FORBIDDEN = {
    "domain": {
        "services",
        "storage",
        "web",
        "cli",
        "importers",
        "engines",
        "reports",
        "reference",
        "schemas",
        "bootstrap",
        "config",
    },
    "storage": {"services", "web", "cli", "schemas", "bootstrap"},
    "reference": {"services", "storage", "web", "cli", "schemas"},
    "importers": {"services", "storage", "web", "cli", "schemas"},
    "engines": {"services", "web", "cli", "schemas"},
    "services": {"web", "cli"},
    "schemas": {"web", "cli", "storage"},
}
FRAMEWORKS_FORBIDDEN_IN_DOMAIN = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "typer",
    "click",
    "jinja2",
    "duckdb",
    "alembic",
    "yaml",
    "jsonschema",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_the_layers(path: Path) -> None:
    layer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    forbidden = FORBIDDEN.get(layer, set())
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "itinera" and len(parts) > 1:
            assert parts[1] not in forbidden, f"{layer} must not import {name}"
        if layer == "domain":
            assert parts[0] not in FRAMEWORKS_FORBIDDEN_IN_DOMAIN, f"domain imports {name}"
