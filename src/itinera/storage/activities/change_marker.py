"""What changes when activities change (C6): activities and their figures are updated in place
(states, corrections), so their rows are digested."""

from __future__ import annotations

from itinera.storage.activities.tables import activities, activity_figures
from itinera.storage.database import UnitOfWork
from itinera.storage.markers import rows_digest

__all__ = ["activities_marker"]


def activities_marker(session: UnitOfWork) -> str:
    return f"{rows_digest(session, activities)}/{rows_digest(session, activity_figures)}"
