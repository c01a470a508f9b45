"""Visit packs: each database's own id, a pack's description and base copy, and the packs
merged into an office

Revision ID: 0011_visit_packs
Revises: 0010_bulk_counts
Create Date: 2026-12-06

``database_identity`` gets one new random id per database here (an existing office gets its
own when it is upgraded). ``pack_info``/``pack_base`` are filled only in a pack file;
``pack_merges`` only in an office.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0011_visit_packs"
down_revision = "0010_bulk_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    identity = op.create_table(
        "database_identity",
        sa.Column("database_id", sa.String(length=36), primary_key=True))
    op.bulk_insert(identity, [{"database_id": str(uuid.uuid4())}])
    op.create_table(
        "pack_info",
        sa.Column("pack_id", sa.String(length=36), primary_key=True),
        sa.Column("source_database_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("schema_revision", sa.String(length=64), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("made_by", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False))
    op.create_table(
        "pack_base",
        sa.Column("table_name", sa.String(length=40), primary_key=True),
        sa.Column("record_id", sa.String(length=36), primary_key=True),
        sa.Column("row", sa.JSON(), nullable=False))
    op.create_table(
        "pack_merges",
        sa.Column("pack_id", sa.String(length=36), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("merged_by", sa.Text(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("undo", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in ("pack_merges", "pack_base", "pack_info", "database_identity"):
        op.drop_table(table)
