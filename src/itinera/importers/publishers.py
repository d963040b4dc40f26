"""The publishers' readers, registered on import of their modules.

``register_publisher_readers()`` is called once by ``bootstrap``; it registers
``missing-migrants`` (IOM Missing Migrants Project), ``frontex`` (Frontex detections) and
``unhcr-arrivals`` (UNHCR Mediterranean arrivals).
"""

from __future__ import annotations

import importlib

__all__ = ["PUBLISHER_READERS", "register_publisher_readers"]

PUBLISHER_READERS = {
    "missing-migrants": "itinera.importers.mmp",
    "frontex": "itinera.importers.frontex",
    "unhcr-arrivals": "itinera.importers.unhcr",
}


def register_publisher_readers() -> None:
    """Import the reader modules; each registers itself with ``importers.base``."""
    for module in PUBLISHER_READERS.values():
        importlib.import_module(module)
