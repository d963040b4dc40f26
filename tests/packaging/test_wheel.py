"""The wheel installs like any Python application, on every CPython 3.11-3.13 found here.

For each interpreter, sequentially: a fresh venv with the locked dependencies only, plus the
wheel (no checkout on the path); ``itinera init --demo``; ``itinera serve`` on a free port; the
dashboard's map (on /) and chart (on a route page) scripts, each served; an organisation and a
caseworker made with the CLI, a login, a case registered and screened through the API;
``itinera doctor`` healthy.
Deselect locally with ``-m 'not packaging'``.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from environments import (
    ROOT,
    SUPPORTED_MINORS,
    clean_env,
    find_pythons,
    fresh_venv,
    run,
    unavailable,
)

pytestmark = pytest.mark.packaging

PYTHONS = find_pythons()
SUPPORTED = [f"3.{minor}" for minor in SUPPORTED_MINORS]
REQUIRED_IN_WHEEL = [
    "itinera/reference/data/routes.yaml",
    "itinera/reference/data/screening/rules-v1.yaml",
    "itinera/reference/data/screening/questionnaire-v1.yaml",
    "itinera/reference/data/screening/pathways-v1.yaml",
    "itinera/reference/schemas/screening-rules.schema.json",
    "itinera/importers/data/country_synonyms.yaml",
    "itinera/storage/migrations/env.py",
    "itinera/web/templates/base.html",
    "itinera/web/static/js/dashboard.js",
    "itinera/web/static/vendor/leaflet/leaflet.js",
    "itinera/web/static/vendor/chart.js/chart.umd.js",
    "itinera/web/static/vendor/world-atlas/countries-50m.json",
    "itinera/locale/fr/LC_MESSAGES/messages.mo",
    "itinera/locale/ar/LC_MESSAGES/messages.mo",
]
CASE = {
    "given_name": "Amina",
    "family_name": "Testperson",
    "sex": "female",
    "date_of_birth": "2010-03-14",
    "nationality": "GIN",
    "arrival_place": "Melilla",
    "arrival_date": "2026-11-01",
    "consent": {
        "purposes": ["registration", "screening", "referral"],
        "child_assent": True,
        "child_decision": "guardian-consent",
    },
}
PASSWORD = "a long pass phrase for the wheel test"


def _package_files(root: Path) -> list[str]:
    """Every file under ``src/itinera`` that a wheel must carry (data and code, no caches)."""
    package = root / "src" / "itinera"
    return sorted(
        f"itinera/{p.relative_to(package).as_posix()}"
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".po")
    )


def test_wheel_and_sdist_carry_everything_the_package_reads(built_dist: dict[str, Path]) -> None:
    wheel_names = set(zipfile.ZipFile(built_dist["wheel"]).namelist())
    missing = [name for name in REQUIRED_IN_WHEEL if name not in wheel_names]
    assert not missing, f"not in the wheel: {missing}"
    not_shipped = [name for name in _package_files(ROOT) if name not in wheel_names]
    assert not not_shipped, f"files of src/itinera left out of the wheel: {not_shipped[:10]}"
    assert not [n for n in wheel_names if "__pycache__" in n or n.endswith(".pyc")]
    with tarfile.open(built_dist["sdist"]) as sdist:
        sdist_names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"requirements/runtime.txt", "setup.py", "pyproject.toml"} <= sdist_names
    assert "src/itinera/web/static/vendor/leaflet/leaflet.js" in sdist_names


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(
    url: str, *, data: Any = None, token: str | None = None
) -> tuple[int, bytes, dict[str, str]]:
    body = None if data is None else json.dumps(data).encode()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _wait_until_up(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"itinera serve exited {server.returncode}: {server.stdout}")
        try:
            _request(f"{base}/api/routes")
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail("itinera serve did not answer within 60 s")


@pytest.mark.parametrize("minor", SUPPORTED)
def test_installed_wheel_serves_the_dashboard_and_screens_a_case(
    minor: str, built_dist: dict[str, Path], tmp_path: Path
) -> None:
    if minor not in PYTHONS:
        unavailable(f"no CPython {minor} on this machine (ITINERA_TEST_PYTHONS names one)")
    venv = fresh_venv(PYTHONS[minor], minor, tmp_path / "venv")
    python = str(venv / "bin" / "python")
    env = clean_env(ITINERA_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'itinera.db'}")
    env["ITINERA_KEY_FILE"] = str(tmp_path / "var" / "keys" / "field.key")
    wheel = str(built_dist["wheel"])
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel], env=env)
    run([python, "-m", "pip", "check"], env=env)
    itinera = [str(venv / "bin" / "itinera")]
    where = run([python, "-c", "import itinera; print(itinera.__file__)"], env=env, cwd=tmp_path)
    assert where.stdout.startswith(str(venv)), "itinera must come from the installed wheel"
    assert re.fullmatch(r"itinera \d+\.\d+\.\d+\S*\n", run([*itinera, "--version"], env=env).stdout)

    run([*itinera, "init", "--demo"], env=env, cwd=tmp_path)
    organisation = ["orgs", "add", "Reception NGO", "--type", "ngo", "--acronym", "RNGO"]
    run([*itinera, *organisation], env=env, cwd=tmp_path)
    user = ["users", "add", "worker", "--org", "RNGO", "--role", "caseworker", "--password-stdin"]
    run([*itinera, *user], env=env, cwd=tmp_path, input=PASSWORD + "\n")
    doctor = subprocess.run(
        [*itinera, "doctor"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "assets:" in doctor.stdout and "PROBLEM" not in doctor.stdout

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*itinera, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(base, server)
        # the dashboard's map on /, its charts on each route page
        for path, library in (
            ("/", "vendor/leaflet/leaflet.js"),
            ("/routes/central-mediterranean", "vendor/chart.js/chart.umd.js"),
        ):
            status, page, _ = _request(f"{base}{path}")
            assert status == 200, path
            scripts = re.findall(r'<script[^>]+src="([^"]+)"', page.decode())
            assert any(library in src for src in scripts), f"{library} not in {path}"
            for src in scripts:
                served, body, _ = _request(f"{base}{src}" if src.startswith("/") else src)
                assert served == 200 and body, f"{src} answered {served}"

        status, body, _ = _request(
            f"{base}/api/auth/login", data={"username": "worker", "password": PASSWORD}
        )
        assert status == 200, body
        token = json.loads(body)["token"]
        status, body, _ = _request(f"{base}/api/cases", data=CASE, token=token)
        assert status == 201, body
        case_id = json.loads(body)["id"]
        status, body, _ = _request(
            f"{base}/api/cases/{case_id}/screenings",
            data={"answers": {"travelling_with": "alone"}},
            token=token,
        )
        assert status == 201, body
        flags = [flag["code"] for flag in json.loads(body)["flags"]]
        assert "unaccompanied-separated-child" in flags
    finally:
        server.terminate()
        server.communicate(timeout=30)
