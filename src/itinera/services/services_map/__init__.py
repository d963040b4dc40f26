"""Service mapping along routes (C5): registry, imports and exports, gaps, siting."""

from __future__ import annotations

from itinera.services.services_map.demo import load_services_demo
from itinera.services.setup import register_demo_loader

__all__ = ["register"]


def register() -> None:
    """The demo service lists (called by ``bootstrap``; safe twice)."""
    register_demo_loader(load_services_demo)
