"""The complete schema: importing this module registers every capability's tables.

Alembic's autogenerate and the test that checks migrations match the models both read
``metadata`` from here, so a new table module must be imported below.
"""

from itinera.storage import (
    account_tables,  # noqa: F401  (C8 accounts, audit trail)
    analytics_tables,  # noqa: F401  (C3 analytics cube cache)
    case_tables,  # noqa: F401  (C7, C8 case records, screenings, referrals)
    movement_tables,  # noqa: F401  (C2 movement data)
    services_tables,  # noqa: F401  (C5 service mapping)
)
from itinera.storage.tables import metadata

__all__ = ["metadata"]
