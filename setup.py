"""Refuse to build a wheel or sdist that would serve pages without maps, charts or translations.

The front-end libraries (npm) and the compiled catalogs (.mo) are not in git: scripts/setup makes
them and scripts/build then builds. Editable installs (scripts/setup itself) skip the check.
Everything else about the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

PACKAGE = Path(__file__).resolve().parent / "src" / "itinera"
MADE_BY_SETUP = (
    "web/static/vendor/leaflet/leaflet.js",
    "web/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
    "web/static/vendor/topojson-client/topojson-client.min.js",
    "web/static/vendor/world-atlas/countries-50m.json",
    "web/static/vendor/chart.js/chart.umd.js",
    "web/static/vendor/htmx.org/htmx.min.js",
    "locale/fr/LC_MESSAGES/messages.mo",
    "locale/ar/LC_MESSAGES/messages.mo",
)


def _check_generated_files() -> None:
    missing = [name for name in MADE_BY_SETUP if not (PACKAGE / name).is_file()]
    if missing:
        raise SystemExit(
            "itinera: missing " + ", ".join(missing) + "; build with scripts/build, which runs "
            "scripts/setup (npm ci, vendored assets, pybabel compile) first"
        )


class CheckedBuildPy(build_py):
    def run(self) -> None:
        if not getattr(self, "editable_mode", False):
            _check_generated_files()
        super().run()


class CheckedSdist(sdist):
    def run(self) -> None:
        _check_generated_files()
        super().run()


setup(cmdclass={"build_py": CheckedBuildPy, "sdist": CheckedSdist})
