"""Boundaries within capabilities (issue 9): only storage writes SQL; web and CLI go through
services; services take domain inputs, so they never import the wire shapes of ``schemas``.

Rules for casework (C7) and accounts (C8); other capabilities join the lists as they are moved.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "itinera"

# Entry points that must reach data through services only.
THIN_EDGES = [
    "web/routers/casework",
    "web/routers/accounts",
    "cli/accounts.py",
    "cli/security.py",
    "cli/screening.py",
]
EDGE_FORBIDDEN = {"storage", "engines", "importers", "reference"}

# Services whose statements have moved into storage: they may name a session, never a table.
SQL_FREE_SERVICES = ["services/casework", "services/accounts"]
SQLALCHEMY_ALLOWED = {"sqlalchemy.orm", "sqlalchemy.exc"}  # the Session type, IntegrityError


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(*places: str) -> list[Path]:
    found: list[Path] = []
    for place in places:
        path = PACKAGE / place
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def _id(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("path", _files(*THIN_EDGES), ids=_id)
def test_web_and_cli_reach_data_through_services(path: Path) -> None:
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "itinera" and len(parts) > 1:
            assert parts[1] not in EDGE_FORBIDDEN, f"{_id(path)} imports {name}"


@pytest.mark.parametrize("path", _files(*SQL_FREE_SERVICES), ids=_id)
def test_services_write_no_sql(path: Path) -> None:
    for name in _imports(path):
        if name.split(".")[0] == "sqlalchemy":
            assert name in SQLALCHEMY_ALLOWED, f"{_id(path)} imports {name}"
        assert not name.endswith(".tables"), f"{_id(path)} imports the tables {name}"


@pytest.mark.parametrize("path", _files("services"), ids=_id)
def test_services_take_domain_inputs_not_wire_shapes(path: Path) -> None:
    for name in _imports(path):
        assert not name.startswith("itinera.schemas"), f"{_id(path)} imports {name}"


def test_the_lists_name_existing_places() -> None:
    for place in [*THIN_EDGES, *SQL_FREE_SERVICES]:
        assert (PACKAGE / place).exists(), place
