"""Digital Gateway: GIN index for the article search on PostgreSQL (C9)

Revision ID: 0140_gateway_search_gin
Revises: 0020_gateway
Create Date: 2026-12-01 23:00:00

The index is on the very expression the repository queries, ``to_tsvector('simple'::regconfig,
search_text)``, so the planner can use it once a language's published articles outgrow a
sequential scan. SQLite keeps its FTS5 table (created by 0020).
"""

from __future__ import annotations

from alembic import op

revision = "0140_gateway_search_gin"
down_revision = "0020_gateway"
branch_labels = None
depends_on = None

INDEX = "ix_gateway_article_translations_search_gin"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX {INDEX} ON gateway_article_translations "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
