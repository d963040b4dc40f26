"""Build the wheel and sdist once per session (``python -m build``, no isolation)."""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from environments import ROOT, run, unavailable


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``python -m build`` (sdist, then the wheel from the sdist) of this checkout."""
    if importlib.util.find_spec("build") is None:
        unavailable("the build front end is missing: run scripts/setup (requirements/dev.txt)")
    try:
        setuptools_major = int(version("setuptools").split(".")[0])
    except PackageNotFoundError:
        setuptools_major = 0
    if setuptools_major < 77:
        unavailable("setuptools>=77 is missing: run scripts/setup (requirements/dev.txt)")
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)])
    (wheel,) = out.glob("itinera-*.whl")
    (sdist,) = out.glob("itinera-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}
