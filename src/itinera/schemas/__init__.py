"""Interface models shared by the JSON API and the CLI's ``--json`` output.

They convert between domain objects and the documented wire shapes, so the API, its
OpenAPI schema and the CLI print the same thing.
"""

# The largest integer both SQLite and PostgreSQL (bigint) store: bounds every id and offset a
# request can carry, so an oversized number is a 422 naming the field, never a database error.
MAX_DATABASE_INT = 2**63 - 1
