"""Every runtime dependency in pyproject.toml is used by src/, and the lock pins each of them.

A dependency is used when a module of src/itinera imports it, or, for the few that libraries
load on our behalf, when the feature that loads them is in the code (named below).
"""

from __future__ import annotations

import ast
import re
import tomllib

from environments import ROOT

PACKAGE = ROOT / "src" / "itinera"
IMPORT_NAMES = {
    "pyyaml": "yaml",
    "python-calamine": "python_calamine",
    "argon2-cffi": "argon2",
    "pydantic-settings": "pydantic_settings",
    "vl-convert-python": "vl_convert",
    "markdown-it-py": "markdown_it",
    "python-frontmatter": "frontmatter",
}
# loaded by another library; the evidence that we use it: text found in src/
LOADED_FOR_US = {
    "psycopg": "postgresql+psycopg",  # SQLAlchemy's dialect, chosen by ITINERA_DATABASE_URL
    "python-multipart": "UploadFile",  # FastAPI parses forms and uploads with it
    "jinja2": "fastapi.templating",  # FastAPI's Jinja2Templates
    "httptools": "uvicorn.run",  # uvicorn's HTTP parser and event loop ("auto" takes them
    "uvloop": "uvicorn.run",  # when installed: decision 0033)
}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower()


def _runtime_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return [_name(requirement) for requirement in project["dependencies"]]


def _imported_top_levels() -> set[str]:
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_every_runtime_dependency_is_used() -> None:
    imported = _imported_top_levels()
    source = "\n".join(p.read_text("utf-8") for p in PACKAGE.rglob("*.py"))
    unused = []
    for name in _runtime_dependencies():
        if name in LOADED_FOR_US:
            if LOADED_FOR_US[name] not in source:
                unused.append(name)
        elif IMPORT_NAMES.get(name, name.replace("-", "_")) not in imported:
            unused.append(name)
    assert not unused, f"declared but not used by src/ (remove, or move to an extra): {unused}"


def test_duckdb_serves_only_the_linkage_engine() -> None:
    # decision 0012: slower than the cube for the app's analytics; decision 0013: Splink's backend
    users = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(r"^\s*(import|from) duckdb\b", path.read_text("utf-8"), re.M)
    )
    assert users == ["engines/linkage.py", "engines/linkage_tables.py"]  # the engine's two parts


def test_the_runtime_lock_pins_every_dependency_with_hashes() -> None:
    lock = (ROOT / "requirements" / "runtime.txt").read_text("utf-8")
    pinned = {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", lock, re.M)}
    missing = [name for name in _runtime_dependencies() if name not in pinned]
    assert not missing, f"not in requirements/runtime.txt (run scripts/lock): {missing}"
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 1)[1])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)


# imported inside try/except ImportError, used when present (decision 0013: ICU transforms)
OPTIONAL_IMPORTS = {"icu", "pyspark"}


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """The wheel installs only what pyproject.toml declares: an import of anything else works in
    the development venv and fails in an installed wheel (as httpx once did)."""
    import sys
    from importlib.metadata import packages_distributions

    declared = set(_runtime_dependencies())
    owners = packages_distributions()
    undeclared = sorted(
        name
        for name in _imported_top_levels() - set(sys.stdlib_module_names) - OPTIONAL_IMPORTS
        if name not in {"itinera", "__future__"}
        and not {d.lower() for d in owners.get(name, [name])} & declared
    )
    assert not undeclared, f"imported by src/ but not in [project] dependencies: {undeclared}"
