"""Each module states its public surface in ``__all__`` (STYLE.md rule 6), and the surface of the
whole package is pinned in ``public_surface.json`` so that a change to it is a visible decision.

After a deliberate change, regenerate the file and commit it with the change:
``ITINERA_WRITE_SURFACE=1 .venv/bin/python -m pytest tests/conventions/test_public_surface.py``.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "itinera"
PINNED = Path(__file__).with_name("public_surface.json")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _defined(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _declared(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return [str(v) for v in value]
    return None


def _public_definitions(tree: ast.Module) -> set[str]:
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
    }


def _surface() -> dict[str, list[str]]:
    surface: dict[str, list[str]] = {}
    for path in _modules():
        declared = _declared(ast.parse(path.read_text("utf-8")))
        if declared:
            surface[_name(path)] = sorted(declared)
    return surface


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_that_defines_something_public_declares_all(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    declared = _declared(tree)
    if _public_definitions(tree):
        assert declared is not None, f"{path.name} defines public names but no __all__"
    for name in declared or []:
        assert name in _defined(tree), f"__all__ of {path.name} lists {name!r}, not defined there"
        assert not name.startswith("_"), f"__all__ of {path.name} makes private {name!r} public"


def test_the_public_surface_is_the_pinned_one() -> None:
    surface = _surface()
    if os.environ.get("ITINERA_WRITE_SURFACE"):
        PINNED.write_text(json.dumps(surface, indent=1, sort_keys=True) + "\n", "utf-8")
    pinned = json.loads(PINNED.read_text("utf-8"))
    added = {m: sorted(set(n) - set(pinned.get(m, []))) for m, n in surface.items()}
    removed = {m: sorted(set(n) - set(surface.get(m, []))) for m, n in pinned.items()}
    changes = {
        "added": {m: n for m, n in added.items() if n},
        "removed": {m: n for m, n in removed.items() if n},
    }
    assert changes == {"added": {}, "removed": {}}, (
        "the public surface changed; if deliberate, regenerate public_surface.json (see docstring)"
    )
