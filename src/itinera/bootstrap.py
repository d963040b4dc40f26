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
    from itinera.services.services_map.demo import load_services_demo

    register_demo_loader(load_services_demo)  # C5: the UNHCR 3W and IfR Poland service lists
    from itinera.services.case_retention import register_case_retention
    from itinera.storage.case_repository import register_case_columns

    register_case_retention()  # C7: expired case records erased by `itinera retention apply`
    register_case_columns()  # C7: encrypted case columns re-encrypted by `itinera keys rotate`


def build_app(settings: Settings) -> FastAPI:
    from itinera.web.app import create_app

    register_capabilities()
    return create_app(settings)
