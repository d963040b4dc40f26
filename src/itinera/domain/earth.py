"""The Earth's size in the units the spatial code uses, shared by ``spatial`` and
``grid_arrays`` (so that neither has to import the other for it)."""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "KM_PER_DEGREE"]

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0  # along a meridian
