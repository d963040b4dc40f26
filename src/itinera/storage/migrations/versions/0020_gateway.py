"""Digital Gateway: channels, submissions, inbound message ids, answers (C9)

Revision ID: 0020_gateway
Revises: 0002_organisations
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_gateway"
down_revision = "0002_organisations"
branch_labels = ("gateway",)
depends_on = None


def _at(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "gateway_channels",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("secret_enc", sa.Text(), nullable=False),
        sa.Column("outbound", sa.JSON(), nullable=False),
        sa.Column("reply_window_hours", sa.Integer(), nullable=True),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_gateway_channels_name")),
    )
    op.create_table(
        "gateway_submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tracking_code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("intake", sa.String(length=16), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=True),
        sa.Column("text_enc", sa.Text(), nullable=False),
        sa.Column("contact_enc", sa.Text(), nullable=True),
        sa.Column("sender_enc", sa.Text(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("assigned_to", sa.String(length=64), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        _at("created_at"),
        _at("updated_at"),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["gateway_channels.id"],
            name=op.f("fk_gateway_submissions_channel_id_gateway_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["gateway_submissions.id"],
            name=op.f("fk_gateway_submissions_merged_into_gateway_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_submissions")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_gateway_submissions_tracking_code")),
    )
    for column in ("kind", "status", "restricted", "created_at"):
        op.create_index(op.f(f"ix_gateway_submissions_{column}"), "gateway_submissions", [column])
    op.create_table(
        "gateway_inbound_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        _at("received_at"),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["gateway_channels.id"],
            name=op.f("fk_gateway_inbound_messages_channel_id_gateway_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["gateway_submissions.id"],
            name=op.f("fk_gateway_inbound_messages_submission_id_gateway_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_inbound_messages")),
        sa.UniqueConstraint(
            "channel_id", "message_id", name=op.f("uq_gateway_inbound_messages_channel_id")
        ),
    )
    op.create_index(
        op.f("ix_gateway_inbound_messages_submission_id"),
        "gateway_inbound_messages",
        ["submission_id"],
    )
    op.create_table(
        "gateway_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=True),
        _at("created_at"),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["gateway_submissions.id"],
            name=op.f("fk_gateway_answers_submission_id_gateway_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_answers")),
    )
    op.create_index(op.f("ix_gateway_answers_submission_id"), "gateway_answers", ["submission_id"])

    op.create_table(
        "gateway_focal_points",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        _at("added_at"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_gateway_focal_points")),
    )

    _articles()
    op.create_table(
        "gateway_answer_templates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_answer_templates")),
        sa.UniqueConstraint("name", "language", name=op.f("uq_gateway_answer_templates_name")),
    )


def _articles() -> None:
    op.create_table(
        "gateway_articles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("route_id", sa.String(length=64), nullable=True),
        sa.Column("review_interval_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_articles")),
        sa.UniqueConstraint("slug", name=op.f("uq_gateway_articles_slug")),
    )
    op.create_index(op.f("ix_gateway_articles_country"), "gateway_articles", ["country"])
    op.create_index(op.f("ix_gateway_articles_route_id"), "gateway_articles", ["route_id"])
    op.create_table(
        "gateway_article_translations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.String(length=64), nullable=True),
        sa.Column("last_reviewed", sa.Date(), nullable=True),
        _at("updated_at"),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["gateway_articles.id"],
            name=op.f("fk_gateway_article_translations_article_id_gateway_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_article_translations")),
        sa.UniqueConstraint(
            "article_id", "language", name=op.f("uq_gateway_article_translations_article_id")
        ),
    )
    op.create_index(
        op.f("ix_gateway_article_translations_status"),
        "gateway_article_translations",
        ["status"],
    )
    op.create_table(
        "gateway_search_misses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("route_id", sa.String(length=64), nullable=True),
        sa.Column("query", sa.String(length=100), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gateway_search_misses")),
        sa.UniqueConstraint(
            "month", "language", "route_id", "query", name=op.f("uq_gateway_search_misses_month")
        ),
    )
    if op.get_bind().dialect.name == "sqlite":
        # the FTS5 index of search_text (rowid = translation id); kept by the repository.
        # PostgreSQL searches the same normalised column with to_tsvector('simple', ...).
        op.execute("CREATE VIRTUAL TABLE gateway_article_fts USING fts5(search_text)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS gateway_article_fts")
    op.drop_table("gateway_answer_templates")
    op.drop_table("gateway_search_misses")
    op.drop_table("gateway_article_translations")
    op.drop_table("gateway_articles")
    op.drop_table("gateway_focal_points")
    op.drop_table("gateway_answers")
    op.drop_table("gateway_inbound_messages")
    op.drop_table("gateway_submissions")
    op.drop_table("gateway_channels")
