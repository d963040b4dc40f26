"""The one place that wires capabilities together: demo loaders, routers, CLI groups."""

from __future__ import annotations

from fastapi import FastAPI

from itinera.config import Settings

__all__ = ["build_app", "register_capabilities"]


def register_capabilities() -> None:
    """Register each capability's extension points (demo loaders, …). Safe to call twice."""
    from itinera.services.movements.demo import load_movement_demo
    from itinera.services.setup import register_demo_loader

    register_demo_loader(load_movement_demo)  # C2: real public movement figures


def build_app(settings: Settings) -> FastAPI:
    from itinera.web.app import create_app

    register_capabilities()
    return create_app(settings)
