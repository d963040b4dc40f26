"""Tables of the Digital Gateway (C9).

Columns ending in ``_enc`` hold AES-GCM tokens (``engines/crypto.py``) bound to the column and
to the submission's tracking code (or the channel's name): never plaintext. A channel's secret
is encrypted too, because the server must read it back to check signatures.
``gateway_inbound_messages`` remembers each channel's message ids, so a message delivered twice
gives one submission (the unique constraint settles a race between two deliveries).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from itinera.storage.metadata import metadata

__all__ = [
    "gateway_answer_templates",
    "gateway_answers",
    "gateway_article_translations",
    "gateway_articles",
    "gateway_channels",
    "gateway_focal_points",
    "gateway_inbound_messages",
    "gateway_search_misses",
    "gateway_submissions",
]

gateway_channels = Table(
    "gateway_channels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("secret_enc", Text, nullable=False),
    # where replies go: {"url"} for a webhook, {"host", "port", "sender"} for e-mail; no secret
    Column("outbound", JSON, nullable=False),
    # WhatsApp-style reply window in hours after the person's last message (None: no window)
    Column("reply_window_hours", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

gateway_submissions = Table(
    "gateway_submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_code", String(20), nullable=False, unique=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("language", String(16), nullable=False),
    Column("intake", String(16), nullable=False),
    Column("channel_id", Integer, ForeignKey("gateway_channels.id"), nullable=True),
    # what identifies the person, encrypted field by field
    Column("text_enc", Text, nullable=False),
    Column("contact_enc", Text, nullable=True),
    Column("sender_enc", Text, nullable=True),
    Column("flags", JSON, nullable=False),
    # sensitive complaints (SEA, fraud, staff misconduct): seen only by named focal points
    Column("category", String(32), nullable=True),
    Column("restricted", Boolean, nullable=False, index=True),
    # triage by staff: a topic of their own words, a priority, a person or team
    Column("topic", String(64), nullable=True),
    Column("priority", String(16), nullable=False),
    Column("assigned_to", String(64), nullable=True),
    # a duplicate points at the submission it was merged into; its code shows that one
    Column("merged_into", Integer, ForeignKey("gateway_submissions.id"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # with the person's consent, the organisation whose staff the complaint is about
    Column("passed_to_organisation_id", Integer, nullable=True),
)

gateway_inbound_messages = Table(
    "gateway_inbound_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel_id", Integer, ForeignKey("gateway_channels.id"), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column(
        "submission_id",
        Integer,
        ForeignKey("gateway_submissions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("channel_id", "message_id"),
)

gateway_answers = Table(
    "gateway_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "submission_id",
        Integer,
        ForeignKey("gateway_submissions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("body", Text, nullable=False),
    Column("language", String(16), nullable=False),
    Column("public", Boolean, nullable=False),
    Column("author", String(64), nullable=False),
    # for public answers to a channel's message: pending, sent, failed, or None (nothing to send)
    Column("delivery", String(16), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

gateway_focal_points = Table(
    "gateway_focal_points",
    metadata,
    # a user id without a foreign key, like the audit trail: accounts own their table
    Column("user_id", Integer, primary_key=True, autoincrement=False),
    Column("username", String(64), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    # set: a partner organisation's focal point, who sees only the complaints passed to it
    Column("organisation_id", Integer, nullable=True),
)

gateway_articles = Table(
    "gateway_articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("topic", String(40), nullable=False),
    Column("country", String(3), nullable=True, index=True),
    Column("route_id", String(64), nullable=True, index=True),
    Column("review_interval_days", Integer, nullable=False),
)

gateway_article_translations = Table(
    "gateway_article_translations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("gateway_articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("language", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("reviewer", String(64), nullable=True),
    Column("last_reviewed", Date, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # title and body through domain.gateway_search.normalise_for_search: what both engines index
    Column("search_text", Text, nullable=False),
    UniqueConstraint("article_id", "language"),
)

gateway_search_misses = Table(
    "gateway_search_misses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("month", String(7), nullable=False),  # YYYY-MM
    Column("language", String(16), nullable=False),
    Column("route_id", String(64), nullable=True),
    Column("query", String(100), nullable=False),  # normalised, no account or address
    Column("count", Integer, nullable=False),
    UniqueConstraint("month", "language", "route_id", "query"),
)

gateway_answer_templates = Table(
    "gateway_answer_templates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("language", String(16), nullable=False),
    Column("body", Text, nullable=False),  # $variables, e.g. $tracking_code
    Column("approved", Boolean, nullable=False),  # a provider-approved template (WhatsApp)
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name", "language"),
)
