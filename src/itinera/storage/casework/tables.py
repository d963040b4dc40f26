"""Tables of case records, screenings and referrals (C7, C8).

Columns ending in ``_enc`` hold AES-GCM tokens (``engines/crypto.py``) bound to the row id and
the column: never plaintext. Everything else is non-identifying and kept in clear for filtering.
Users are referred to by id and name without a foreign key, like the audit trail: the record of
who did what outlives the account.
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
    false,
    func,
)

from itinera.storage.metadata import metadata

__all__ = [
    "case_screenings",
    "cases",
    "referral_events",
    "referrals",
    "screening_versions",
]

cases = Table(
    "cases",
    metadata,
    Column("id", String(20), primary_key=True),  # pseudonymous case number C-XXXX-XXXX-XXXX
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False, server_default="1"),
    # identifying fields, encrypted field by field
    Column("given_name_enc", Text, nullable=True),
    Column("family_name_enc", Text, nullable=True),
    Column("date_of_birth_enc", Text, nullable=True),
    Column("contact_enc", Text, nullable=True),
    Column("document_numbers_enc", Text, nullable=True),
    # non-identifying fields, in clear
    Column("sex", String(16), nullable=False),
    Column("age_group", String(16), nullable=False),
    Column("nationality", String(3), nullable=True, index=True),
    Column("arrival_place", String(200), nullable=True),
    Column("arrival_date", Date, nullable=True, index=True),
    Column("route_id", String(64), nullable=True),
    Column("flags", JSON, nullable=False),  # vulnerability codes of the latest screening
    Column("consent", JSON, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("erased_at", DateTime(timezone=True), nullable=True),
)

case_screenings = Table(
    "case_screenings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "case_id",
        String(20),
        ForeignKey("cases.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("questionnaire_version", Integer, nullable=False),
    Column("rules_version", Integer, nullable=False),
    Column("answers_enc", Text, nullable=True),  # the answers are sensitive: encrypted JSON
    Column("flags", JSON, nullable=False),  # [{code, rules, questions}]
    Column("recommendations", JSON, nullable=False),  # [{pathway, urgency, because}]
    Column("screened_by", String(64), nullable=False),
    Column("screened_at", DateTime(timezone=True), nullable=False),
    Column("screening_version_id", Integer, nullable=True),  # screening_versions.id (issue 12)
)

# Versions of the questionnaire, rules and pathways edited by administrators (issue 12): the
# packaged files are version 1; exactly one version is active; a version is never changed.
screening_versions = Table(
    "screening_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("questionnaire_text", Text, nullable=False),
    Column("rules_text", Text, nullable=False),
    Column("pathways_text", Text, nullable=False),
    Column("comment", Text, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False, server_default=false()),
    Column("activated_by", String(64), nullable=True),
    Column("activated_at", DateTime(timezone=True), nullable=True),
)

referrals = Table(
    "referrals",
    metadata,
    Column("id", String(20), primary_key=True),
    Column(
        "case_id",
        String(20),
        ForeignKey("cases.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "from_organisation_id",
        Integer,
        ForeignKey("organisations.id"),
        nullable=False,
        index=True,
    ),
    Column(
        "to_organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True
    ),
    Column("service_point_id", String(64), nullable=True),
    Column("pathway", String(64), nullable=False),
    Column("urgency", String(16), nullable=False),
    Column("reason_enc", Text, nullable=True),
    Column("due_date", Date, nullable=False, index=True),
    Column("shared_fields", JSON, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

referral_events = Table(
    "referral_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "referral_id",
        String(20),
        ForeignKey("referrals.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("organisation_id", Integer, nullable=True),
    Column("reason_enc", Text, nullable=True),
)
