"""Movement data (C2): import, store, reconcile, query and export figures."""

from itinera.services.movements.importing import ImportReport, import_file
from itinera.services.movements.query import (
    ObservationFilter,
    discrepancies,
    get_batch,
    get_source,
    list_sources,
    query_observations,
)
from itinera.services.movements.routing import reattribute_routes

__all__ = [
    "ImportReport",
    "ObservationFilter",
    "discrepancies",
    "get_batch",
    "get_source",
    "import_file",
    "list_sources",
    "query_observations",
    "reattribute_routes",
]
