"""Only ``storage`` speaks SQL, and web and CLI go through services (ARCHITECTURE.md, issue 9).

``test_layers.py`` checks which layer may import which; this adds the finer edges: no module
outside ``storage`` imports SQLAlchemy or a table, and web and CLI import only services,
schemas, domain, config and their own infrastructure.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "itinera"

EDGE_LAYERS = {"web", "cli"}
EDGE_MAY_IMPORT = {"services", "schemas", "domain", "config", "web", "cli"}

# Modules that still cross a boundary, each with what it imports; other work on issue 9 is
# taking them out. An entry that is no longer needed fails the last test: delete it then.
PENDING: dict[str, set[str]] = {
    "services/casework/cases.py": {"itinera.storage.casework.tables"},
    "services/casework/retention.py": {"sqlalchemy", "itinera.storage.casework.tables"},
    "services/casework/screening.py": {"itinera.storage.casework.tables"},
    "services/casework/context.py": {"sqlalchemy"},
    "services/accounts/users.py": {"sqlalchemy"},
    "services/accounts/retention.py": {"sqlalchemy", "itinera.storage.accounts.tables"},
    "services/accounts/audit.py": {"sqlalchemy"},
    "services/accounts/keys.py": {"sqlalchemy"},
    "web/deps.py": {"itinera.engines"},
    "web/routers/movements/pages.py": {"itinera.importers"},
    "cli/main.py": {"itinera.engines"},
    "cli/screening.py": {"itinera.reference"},
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _crossings(relative: str, names: set[str]) -> set[str]:
    """What this module imports across a boundary, each named as ``PENDING`` names it."""
    layer = relative.split("/")[0].removesuffix(".py")
    found: set[str] = set()
    for name in names:
        parts = name.split(".")
        ours = parts[0] == "itinera" and len(parts) > 1
        if layer != "storage" and parts[0] == "sqlalchemy":
            found.add("sqlalchemy")
        if layer != "storage" and ours and parts[1] == "storage" and parts[-1] == "tables":
            found.add(name)
        if layer in EDGE_LAYERS and ours and parts[1] not in EDGE_MAY_IMPORT:
            found.add(f"itinera.{parts[1]}")
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", _modules(), ids=_relative)
def test_module_stays_on_its_side_of_the_boundaries(path: Path) -> None:
    relative = _relative(path)
    crossings = _crossings(relative, _imports(path)) - PENDING.get(relative, set())
    assert not crossings, f"{relative} must go through a service or a repository: {crossings}"


@pytest.mark.parametrize(
    ("relative", "names", "expected"),
    [
        ("services/x.py", {"sqlalchemy.orm"}, {"sqlalchemy"}),
        ("services/x.py", {"itinera.storage.x.tables"}, {"itinera.storage.x.tables"}),
        ("services/x.py", {"itinera.storage.database"}, set()),
        ("storage/x.py", {"sqlalchemy", "itinera.storage.movements.tables"}, set()),
        ("web/x.py", {"itinera.storage.database", "itinera.services.store"}, {"itinera.storage"}),
        ("cli/x.py", {"itinera.engines.crypto", "itinera.domain.access"}, {"itinera.engines"}),
        ("web/x.py", {"itinera.importers", "itinera.config"}, {"itinera.importers"}),
        ("web/x.py", {"itinera.schemas.routes", "itinera.web.deps", "itinera.config"}, set()),
    ],
)
def test_the_boundary_check_sees_crossings(
    relative: str, names: set[str], expected: set[str]
) -> None:
    assert _crossings(relative, names) == expected


def test_every_pending_crossing_still_exists() -> None:
    for relative, allowed in PENDING.items():
        path = PACKAGE / relative
        found = _crossings(relative, _imports(path)) if path.exists() else set()
        assert allowed <= found, f"{relative} no longer imports {allowed - found}: trim PENDING"
