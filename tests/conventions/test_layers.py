"""Dependencies point inwards (STYLE.md, docs/architecture.md), checked on every import."""

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
    "reference": {"services", "storage", "web", "cli", "schemas", "bootstrap"},
    "importers": {"services", "storage", "web", "cli", "schemas", "bootstrap"},
    "engines": {"services", "web", "cli", "schemas", "bootstrap"},
    "services": {"web", "cli", "schemas", "bootstrap"},
    "schemas": {"web", "cli", "storage", "importers", "engines", "bootstrap"},
    # thin edges: parse, call a service, render
    "web": {"storage", "importers", "engines", "reference", "cli", "bootstrap"},
    "cli": {"storage", "importers", "engines", "reference", "web", "bootstrap"},
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
# Only storage speaks SQL: no other module imports SQLAlchemy (services name the unit of work
# as ``storage.database.UnitOfWork``) or a table module.


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "itinera":
                names.update(f"itinera.{alias.name}" for alias in node.names)
    return names


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_the_layers(path: Path) -> None:
    layer = _layer(path)
    forbidden = FORBIDDEN.get(layer, set())
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "itinera" and len(parts) > 1:
            assert parts[1] not in forbidden, f"{layer} must not import {name}"
        if layer == "domain":
            assert parts[0] not in FRAMEWORKS_FORBIDDEN_IN_DOMAIN, f"domain imports {name}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_storage_writes_sql(path: Path) -> None:
    if _layer(path) == "storage":
        return
    for name in _imports(path):
        assert name.split(".")[0] != "sqlalchemy", f"{path.name} imports {name}"
        is_table_module = name.startswith("itinera.storage.") and name.endswith(".tables")
        assert not is_table_module, f"{path.name} imports the table module {name}"
