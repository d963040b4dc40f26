"""Import every movement-data reader module so that it registers itself."""

from __future__ import annotations

import importlib

from itinera.importers.base import readers

__all__ = ["READER_MODULES", "load_readers"]

READER_MODULES = (
    "itinera.importers.hxl",
    "itinera.importers.mmp",
    "itinera.importers.frontex",
    "itinera.importers.unhcr",
    "itinera.importers.table",
)


def load_readers() -> list[str]:
    """Import the reader modules present in this installation; returns the reader names."""
    for module in READER_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
    return sorted(readers())
