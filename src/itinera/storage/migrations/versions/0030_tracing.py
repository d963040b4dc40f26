"""tracing (C10): requests, persons sought, candidates, reviews, model versions

Revision ID: 0030_tracing
Revises: 0005_casework
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_tracing"
down_revision = "0005_casework"
branch_labels = ("tracing",)
depends_on = None


def _when(name: str, *, nullable: bool = False, default: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        server_default=sa.func.now() if default else None,
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "tracing_requests",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("inquirer_given_name_enc", sa.Text(), nullable=True),
        sa.Column("inquirer_family_name_enc", sa.Text(), nullable=True),
        sa.Column("inquirer_contact_enc", sa.Text(), nullable=True),
        sa.Column("inquirer_language", sa.String(length=16), nullable=True),
        sa.Column("relationship", sa.String(length=64), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_tracing_requests_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_requests")),
    )
    op.create_index(
        op.f("ix_tracing_requests_organisation_id"), "tracing_requests", ["organisation_id"]
    )
    op.create_index(op.f("ix_tracing_requests_status"), "tracing_requests", ["status"])
    op.create_table(
        "tracing_persons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.String(length=20), nullable=False),
        *(
            sa.Column(f"{name}_enc", sa.Text(), nullable=True)
            for name in (
                "given_name",
                "family_name",
                "name_parts",
                "father_name",
                "mother_name",
                "other_spellings",
                "birth_year",
                "date_of_birth",
                "last_seen_place",
            )
        ),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("last_seen_date", sa.Date(), nullable=True),
        sa.Column("child", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["tracing_requests.id"],
            name=op.f("fk_tracing_persons_request_id_tracing_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_persons")),
    )
    op.create_index(op.f("ix_tracing_persons_request_id"), "tracing_persons", ["request_id"])
    op.create_index(op.f("ix_tracing_persons_nationality"), "tracing_persons", ["nationality"])
    op.create_table(
        "tracing_candidates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("child", sa.Boolean(), nullable=False),
        sa.Column("contact_consent_by", sa.String(length=64), nullable=True),
        _when("contact_consent_at", nullable=True, default=False),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["tracing_persons.id"],
            name=op.f("fk_tracing_candidates_person_id_tracing_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_candidates")),
        sa.UniqueConstraint("person_id", "kind", "reference", name="uq_tracing_candidates_pair"),
    )
    op.create_index(op.f("ix_tracing_candidates_person_id"), "tracing_candidates", ["person_id"])
    op.create_index(op.f("ix_tracing_candidates_status"), "tracing_candidates", ["status"])
    op.create_table(
        "tracing_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("reason_enc", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=64), nullable=False),
        _when("at", default=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["tracing_candidates.id"],
            name=op.f("fk_tracing_reviews_candidate_id_tracing_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_reviews")),
    )
    op.create_index(op.f("ix_tracing_reviews_candidate_id"), "tracing_reviews", ["candidate_id"])
    op.create_table(
        "tracing_models",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_models")),
    )
    op.create_table(
        "tracing_learned_spellings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("spelling_enc", sa.Text(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracing_learned_spellings")),
    )


def downgrade() -> None:
    for name in (
        "tracing_learned_spellings",
        "tracing_models",
        "tracing_reviews",
        "tracing_candidates",
        "tracing_persons",
        "tracing_requests",
    ):
        op.drop_table(name)
