"""route catalogue and reference data

Revision ID: 0001_catalogue
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_catalogue"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("origin", sa.String(length=16), server_default="reference", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_places_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_kind"), ["kind"], unique=False)

    op.create_table(
        "reference_items",
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("edited", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("category", "code", name=op.f("pk_reference_items")),
    )
    op.create_table(
        "reference_versions",
        sa.Column("file", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column(
            "loaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("file", name=op.f("pk_reference_versions")),
    )
    op.create_table(
        "route_groups",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), server_default="reference", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_groups")),
    )
    op.create_table(
        "routes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), server_default="reference", nullable=False),
        sa.Column("edited", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reference_checksum", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["route_groups.id"], name=op.f("fk_routes_group_id_route_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routes")),
    )
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routes_group_id"), ["group_id"], unique=False)

    op.create_table(
        "legs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_place", sa.String(length=64), nullable=False),
        sa.Column("to_place", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("via_place", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_place"], ["places.id"], name=op.f("fk_legs_from_place_places")
        ),
        sa.ForeignKeyConstraint(
            ["route_id"], ["routes.id"], name=op.f("fk_legs_route_id_routes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["to_place"], ["places.id"], name=op.f("fk_legs_to_place_places")),
        sa.ForeignKeyConstraint(
            ["via_place"], ["places.id"], name=op.f("fk_legs_via_place_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legs")),
        sa.UniqueConstraint("route_id", "position", name="uq_legs_route_position"),
    )
    with op.batch_alter_table("legs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legs_route_id"), ["route_id"], unique=False)

    op.create_table(
        "route_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("alias_key", sa.String(length=255), nullable=False),
        sa.Column("origin", sa.String(length=16), server_default="reference", nullable=False),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["routes.id"],
            name=op.f("fk_route_aliases_route_id_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_aliases")),
        sa.UniqueConstraint("alias_key", name=op.f("uq_route_aliases_alias_key")),
    )
    with op.batch_alter_table("route_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_route_aliases_route_id"), ["route_id"], unique=False)

    op.create_table(
        "route_countries",
        sa.Column("route_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country"], ["places.id"], name=op.f("fk_route_countries_country_places")
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["routes.id"],
            name=op.f("fk_route_countries_route_id_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("route_id", "country", "role", name=op.f("pk_route_countries")),
    )
    op.create_table(
        "route_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_route", sa.String(length=64), nullable=False),
        sa.Column("to_route", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), server_default="reference", nullable=False),
        sa.ForeignKeyConstraint(
            ["from_route"],
            ["routes.id"],
            name=op.f("fk_route_links_from_route_routes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_route"],
            ["routes.id"],
            name=op.f("fk_route_links_to_route_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_links")),
        sa.UniqueConstraint("from_route", "to_route", "kind", name="uq_route_links_pair"),
    )


def downgrade() -> None:
    op.drop_table("route_links")
    op.drop_table("route_countries")
    with op.batch_alter_table("route_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_route_aliases_route_id"))

    op.drop_table("route_aliases")
    with op.batch_alter_table("legs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legs_route_id"))

    op.drop_table("legs")
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routes_group_id"))

    op.drop_table("routes")
    op.drop_table("route_groups")
    op.drop_table("reference_versions")
    op.drop_table("reference_items")
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_places_kind"))
        batch_op.drop_index(batch_op.f("ix_places_country"))

    op.drop_table("places")
