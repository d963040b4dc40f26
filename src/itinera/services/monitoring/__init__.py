"""Field monitoring (C11): protection-risk observations and field notes."""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    """Nothing to plug in yet: the import kind of field monitoring files comes with its reader
    (docs/import-pipeline.md); bootstrap calls this so that adding it changes no other file."""
