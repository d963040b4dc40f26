"""Places a person or a staff member names to find what is near: the route catalogue's places
and the service points' localities, in every language and their usual spellings (shared by the
gateway's "services near me" and the staff service directory)."""

from __future__ import annotations

__all__ = ["register"]


def register() -> None:
    """Nothing to plug in yet: the lookup reads the catalogue and the service registry."""
