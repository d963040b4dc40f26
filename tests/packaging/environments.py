"""Find the CPythons 3.11-3.13 this machine has; cache their locked deps.

The locked dependencies (requirements/runtime.txt, hash-checked) are installed once per Python
and lock version into a cache venv; each test run copies it (hard links) into a fresh venv and
adds only the wheel, so a run costs seconds once the cache is warm.
``ITINERA_TEST_PYTHONS`` (paths, ``:``-separated) overrides the interpreters found;
``ITINERA_TEST_PACKAGING_CACHE`` moves the cache (default: the temp dir).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
SUPPORTED_MINORS = (11, 12, 13)


def _python_version(executable: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [executable, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return int(out[0]), int(out[1])


def find_pythons() -> dict[str, str]:
    """``{"3.11": path, ...}``: one interpreter per supported minor version found here."""
    if os.environ.get("ITINERA_TEST_PYTHONS"):
        candidates = os.environ["ITINERA_TEST_PYTHONS"].split(":")
    else:
        candidates = []
        for minor in SUPPORTED_MINORS:
            candidates.append(shutil.which(f"python3.{minor}") or "")
            pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
            candidates += [str(p) for p in sorted(pyenv.glob(f"3.{minor}.*/bin/python3.{minor}"))]
    found: dict[str, str] = {}
    for candidate in filter(None, candidates):
        got = _python_version(candidate)
        if got and got[0] == 3 and got[1] in SUPPORTED_MINORS:
            found.setdefault(f"3.{got[1]}", candidate)
    return dict(sorted(found.items()))


def unavailable(reason: str) -> NoReturn:
    """Skip locally, fail under CI (as tests/conftest.py does): CI must run every test."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(reason)


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure, fail the test with its output (never a secret: test data)."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        shown = " ".join(map(str, command))
        pytest.fail(f"{shown} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done  # type: ignore[no-any-return]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of an installed application: no PYTHONPATH into the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ITINERA_"))}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def _cache_root() -> Path:
    default = Path(tempfile.gettempdir()) / "itinera-packaging-cache"
    return Path(os.environ.get("ITINERA_TEST_PACKAGING_CACHE", default))


def locked_venv(python: str, minor: str) -> Path:
    """A venv holding exactly requirements/runtime.txt for this Python, made once per lock."""
    lock_hash = hashlib.sha256(RUNTIME_LOCK.read_bytes()).hexdigest()[:16]
    cached = _cache_root() / f"py{minor}-{lock_hash}-v2"
    cached.parent.mkdir(parents=True, exist_ok=True)
    # several test runs may share the machine: one builds the cache, the others wait for it
    with open(cached.parent / f"{cached.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (cached / ".complete").exists():
            shutil.rmtree(cached, ignore_errors=True)
            run([python, "-m", "venv", str(cached)])
            # the venv's own pip, as a user without a clone would (README, "Deployment")
            pip = [str(cached / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            run([*pip, "--require-hashes", "-r", str(RUNTIME_LOCK)], env=clean_env())
            (cached / ".complete").write_text(lock_hash)
    return cached


def fresh_venv(python: str, minor: str, target: Path) -> Path:
    """A new venv at ``target`` with the locked dependencies only (hard-linked from the cache)."""
    run(["cp", "-al", str(locked_venv(python, minor)), str(target)])
    return target
