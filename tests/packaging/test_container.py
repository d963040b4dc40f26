"""The image definition installs only the wheel and the locked dependencies; compose runs it
with PostgreSQL. This machine has no running container engine, so these read the files
(fast: not marked ``packaging``)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from environments import ROOT

CONTAINERFILE = ROOT / "Containerfile"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", CONTAINERFILE.read_text("utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def _env() -> dict[str, str]:
    values: dict[str, str] = {}
    for instruction, arguments in _instructions():
        if instruction == "ENV":
            values.update(item.split("=", 1) for item in shlex.split(arguments))
    return values


def test_the_image_installs_only_the_wheel_and_the_lock() -> None:
    steps = _instructions()
    base = next(arguments for instruction, arguments in steps if instruction == "FROM")
    assert re.search(r"python:3\.1[1-3]\b", base), base
    copied = [arguments.split()[0] for instruction, arguments in steps if instruction == "COPY"]
    assert copied == ["requirements/runtime.txt", "dist/itinera-*.whl"]
    installs = [
        command
        for instruction, arguments in steps
        if instruction == "RUN"
        for command in arguments.split("&&")
        if "pip install" in command
    ]
    assert len(installs) == 2, installs
    locked, wheel = (shlex.split(command) for command in installs)
    assert "--require-hashes" in locked and locked[-1].endswith("runtime.txt")
    assert {"--no-deps", "--no-index"} <= set(wheel) and wheel[-1].endswith(".whl")
    ignored = (ROOT / ".containerignore").read_text("utf-8")
    assert (ROOT / ".dockerignore").read_text("utf-8") == ignored
    allowed = [line for line in ignored.splitlines() if line and not line.startswith("#")]
    assert allowed == ["*", "!dist/itinera-*.whl", "!requirements/runtime.txt"]


def test_the_image_runs_unprivileged_with_data_and_key_on_volumes() -> None:
    steps = _instructions()
    users = [arguments.strip() for instruction, arguments in steps if instruction == "USER"]
    assert users and users[-1] not in ("root", "0"), users
    order = [instruction for instruction, _ in steps]
    assert order.index("USER") < order.index("CMD")
    volumes = " ".join(arguments for instruction, arguments in steps if instruction == "VOLUME")
    env = _env()
    assert env["ITINERA_ENVIRONMENT"] == "production"
    database = env["ITINERA_DATABASE_URL"].removeprefix("sqlite:///")
    key = env["ITINERA_KEY_FILE"]
    assert str(Path(database).parent) in volumes and str(Path(key).parent) in volumes
    assert Path(database).parent != Path(key).parent, "the key must not sit with the data"
    assert "ITINERA_SECRET_KEY" not in env, "the secret comes from the deployment, not the image"


def test_compose_runs_the_image_with_postgresql() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    services = compose["services"]
    assert services["db"]["image"].split("/")[-1].startswith("postgres:")
    app = services["itinera"]
    assert app["build"]["dockerfile"] == "Containerfile"
    env = app["environment"]
    assert env["ITINERA_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["ITINERA_SECRET_KEY"].startswith("${"), "secrets come from .env, never the file"
    mounts = {volume.split(":")[1] for volume in app["volumes"]}
    assert str(Path(env["ITINERA_KEY_FILE"]).parent) in mounts
    assert app["depends_on"]["db"]["condition"] == "service_healthy"


def test_readme_documents_the_image_and_compose() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    deployment = readme[readme.index("## Deployment") :]
    for needle in ("Containerfile", "compose.yaml", "itinera doctor", "scripts/build"):
        assert needle in deployment, needle
