"""Tables of tracing requests, persons sought, candidates, reviews and models (C10).

Columns ending in ``_enc`` hold AES-GCM tokens (``engines/crypto.py``) bound to the row and the
column. Sex, nationality and dates of last sighting stay in clear for blocking and counts.
Candidates hold a probability and an explanation (comparison levels and weights), never names.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)

from itinera.storage.metadata import metadata

__all__ = [
    "tracing_candidates",
    "tracing_exchange_records",
    "tracing_learned_spellings",
    "tracing_models",
    "tracing_persons",
    "tracing_requests",
    "tracing_reunification_steps",
    "tracing_reviews",
]

tracing_requests = Table(
    "tracing_requests",
    metadata,
    Column("id", String(20), primary_key=True),  # T-XXXX-XXXX-XXXX
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("inquirer_given_name_enc", Text, nullable=True),
    Column("inquirer_family_name_enc", Text, nullable=True),
    Column("inquirer_contact_enc", Text, nullable=True),
    Column("inquirer_language", String(16), nullable=True),
    Column("relationship", String(64), nullable=False),
    Column("purposes", JSON, nullable=False),
    Column("status", String(32), nullable=False, index=True),
    Column("outcome", String(32), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # the Digital Gateway submission this inquiry came from (its tracking code), at most one
    Column("gateway_submission", String(32), nullable=True, unique=True),
    Column("medical_urgency", Boolean, nullable=False, server_default=false()),
)

tracing_persons = Table(
    "tracing_persons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "request_id",
        String(20),
        ForeignKey("tracing_requests.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("given_name_enc", Text, nullable=True),
    Column("family_name_enc", Text, nullable=True),
    Column("name_parts_enc", Text, nullable=True),  # JSON list
    Column("father_name_enc", Text, nullable=True),
    Column("mother_name_enc", Text, nullable=True),
    Column("other_spellings_enc", Text, nullable=True),  # JSON list
    Column("birth_year_enc", Text, nullable=True),
    Column("date_of_birth_enc", Text, nullable=True),
    Column("last_seen_place_enc", Text, nullable=True),
    Column("sex", String(16), nullable=False),
    Column("nationality", String(3), nullable=True, index=True),
    Column("last_seen_date", Date, nullable=True),
    Column("child", Boolean, nullable=False),
    Column("profession_enc", Text, nullable=True),
    Column("distinguishing_info_enc", Text, nullable=True),
    # in clear for blocking, counts and figures per route, like sex and nationality
    Column("languages", JSON, nullable=True),
    Column("last_contact_date", Date, nullable=True),
    Column("separation_reason", String(32), nullable=True),
    Column("route_id", String(64), nullable=True, index=True),
)

tracing_candidates = Table(
    "tracing_candidates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "person_id",
        Integer,
        ForeignKey("tracing_persons.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(32), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("organisation_id", Integer, nullable=True),  # who holds the candidate record
    Column("probability", Float, nullable=False),
    Column("explanation", JSON, nullable=False),  # [{comparison, level, weight}]
    Column("model_version", String(64), nullable=False),
    Column("status", String(32), nullable=False, index=True),
    Column("child", Boolean, nullable=False),
    Column("contact_consent_by", String(64), nullable=True),  # the sought person's consent
    Column("contact_consent_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("person_id", "kind", "reference", name="uq_tracing_candidates_pair"),
)


def _of_candidate() -> Column[int]:
    """The candidate a review or a reunification step belongs to (gone with it)."""
    return Column(
        "candidate_id",
        Integer,
        ForeignKey("tracing_candidates.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


tracing_reviews = Table(
    "tracing_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _of_candidate(),
    Column("decision", String(32), nullable=False),
    Column("reason_enc", Text, nullable=True),
    Column("reviewer", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

tracing_reunification_steps = Table(
    "tracing_reunification_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _of_candidate(),
    Column("step", String(32), nullable=False),
    Column("finding", String(64), nullable=False),
    Column("note_enc", Text, nullable=True),
    Column("recorded_by", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

tracing_models = Table(
    "tracing_models",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False),
    Column("parameters", JSON, nullable=False),  # m and u per level: no record, no name
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

tracing_learned_spellings = Table(
    "tracing_learned_spellings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False),  # the variant group it joins
    Column("spelling_enc", Text, nullable=False),  # taken from a person's record: encrypted
    Column("candidate_id", Integer, nullable=True),  # the confirmed match that taught it
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

tracing_exchange_records = Table(
    "tracing_exchange_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(255), nullable=False, unique=True),  # PFIF domain/id
    Column("kind", String(16), nullable=False),  # person or note
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("request_id", String(20), ForeignKey("tracing_requests.id"), nullable=True),
    Column("digest", String(64), nullable=False),  # of the content: a change is a conflict
    Column("source_date", String(20), nullable=False),
    Column("note_status", String(32), nullable=True),
    Column("note_enc", Text, nullable=True),  # a note's text and last known location (JSON)
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
