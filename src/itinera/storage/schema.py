"""The complete schema: importing this module registers every capability's tables.

Alembic's autogenerate and the test that checks migrations match the models both read
``metadata`` from here, so a new capability's table module must be imported below.
"""

from itinera.storage.accounts import tables as accounts_tables  # noqa: F401  (C8)
from itinera.storage.activities import tables as activities_tables  # noqa: F401  (C6)
from itinera.storage.analytics import tables as analytics_tables  # noqa: F401  (C3)
from itinera.storage.casework import tables as casework_tables  # noqa: F401  (C7)
from itinera.storage.catalogue import tables as catalogue_tables  # noqa: F401  (C1)
from itinera.storage.gateway import tables as gateway_tables  # noqa: F401  (C9)
from itinera.storage.jobs import tables as jobs_tables  # noqa: F401  (issue 10: jobs)
from itinera.storage.metadata import metadata
from itinera.storage.monitoring import tables as monitoring_tables  # noqa: F401  (C11)
from itinera.storage.movements import tables as movements_tables  # noqa: F401  (C2)
from itinera.storage.reports import tables as reports_tables  # noqa: F401  (C4)
from itinera.storage.services_map import tables as services_map_tables  # noqa: F401  (C5)
from itinera.storage.tracing import tables as tracing_tables  # noqa: F401  (C10)

__all__ = ["UNMANAGED_INDEXES", "UNMANAGED_TABLE_PREFIXES", "metadata"]

UNMANAGED_TABLE_PREFIXES = ("gateway_article_fts",)
"""Tables a migration creates outside SQLAlchemy (SQLite FTS5 and its shadow tables): the
comparison of migrations with the table definitions leaves them out."""

UNMANAGED_INDEXES = ("ix_gateway_article_translations_search_gin",)
"""Expression indexes a migration creates (PostgreSQL's GIN index of the article search):
Alembic's comparison cannot read expression indexes from the table definitions, so it leaves
them out too."""
