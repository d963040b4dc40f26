"""Itinera: the route-based approach to mixed movements, in software."""

__version__ = "0.1.0"
