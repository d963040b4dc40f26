"""Movement data (C2): import, store, reconcile, query and export figures."""

from itinera.importers import frontex, hxl, itinera_export, mmp, table, unhcr, unhcr_portal
from itinera.services.imports import FileReader, readers, register_reader
from itinera.services.movements.attribution import set_route
from itinera.services.movements.demo import load_movement_demo
from itinera.services.movements.import_job import (
    register_movement_import_job,
    submit_movement_import,
)
from itinera.services.movements.importing import ImportReport, import_file
from itinera.services.movements.query import (
    ObservationFilter,
    discrepancies,
    get_batch,
    get_source,
    list_sources,
    query_observations,
)
from itinera.services.movements.reattribution import (
    ReattributionReport,
    reattribute_by_rules,
    reattribute_if_rules_changed,
)
from itinera.services.movements.reconciliation import reconciliation
from itinera.services.movements.removal import remove_batch
from itinera.services.movements.routing import reattribute_routes
from itinera.services.setup import register_demo_loader, register_start_up_task
from itinera.storage.database import Database

__all__ = [
    "ImportReport",
    "ObservationFilter",
    "ReattributionReport",
    "describe_reattribution",
    "discrepancies",
    "get_batch",
    "get_source",
    "import_file",
    "list_sources",
    "movement_readers",
    "query_observations",
    "reattribute_by_rules",
    "reattribute_routes",
    "reconciliation",
    "register",
    "remove_batch",
    "set_route",
    "submit_movement_import",
]


def movement_readers() -> dict[str, str]:
    """The movement readers plugged in, by name: their descriptions (for the upload page)."""
    return {name: reader.description for name, reader in readers("movements").items()}


def register() -> None:
    """The movement readers and the demo figures (called by ``bootstrap``; safe twice)."""
    for reader_module in (hxl, mmp, frontex, unhcr, unhcr_portal, table, itinera_export):
        spec = reader_module.SPEC
        register_reader(FileReader("movements", spec.name, spec.reader, spec.description))
    register_demo_loader(load_movement_demo)
    register_start_up_task(_place_again_if_rules_changed)
    register_movement_import_job()


def _place_again_if_rules_changed(db: Database) -> str | None:
    """``itinera init``: stored figures placed again when the route rules changed (0036)."""
    report = reattribute_if_rules_changed(db)
    if report is None or not report.changed:
        return None
    return describe_reattribution(report)


def describe_reattribution(report: ReattributionReport) -> str:
    """One line: what a re-attribution by the rules moved (or would move)."""
    routes = ", ".join(report.routes) or "none"
    was = report.previous[:12] if report.previous else "never recorded"
    line = (
        f"route rules {report.fingerprint[:12]} (were {was}): {report.figures:,} figures and "
        f"{report.incidents:,} incidents placed again, {report.derived:,} monthly figures "
        f"derived again; routes summed again: {routes}"
    )
    return line + (" (dry run: nothing changed)" if report.dry_run else "")
