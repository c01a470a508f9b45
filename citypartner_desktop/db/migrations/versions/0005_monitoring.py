"""Monitoring: evaluation cadence per partnership, settings, reminder answers, visit index

Revision ID: 0005_monitoring
Revises: 0004_counts_and_sort_labels
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_monitoring"
down_revision = "0004_counts_and_sort_labels"
branch_labels = None
depends_on = None


# Frozen here so this revision means the same thing forever: (name, table, columns, where).
INDEXES = (
    ("ix_activities_live_partnership_start", "activities", "partnership_id, start_date",
     "deleted_at IS NULL"),
    ("ix_activities_live_visits", "activities", "partnership_id, start_date",
     "kind = 'visit' AND deleted_at IS NULL"),
    ("ix_actions_open_due", "actions", "due_date", "done_date IS NULL AND deleted_at IS NULL"),
)


def _record_columns() -> list[sa.Column[object]]:
    """The columns every table carries (frozen here, as in 0001)."""
    return [
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    # Plain ALTER TABLE, not a batch rebuild: a rebuilt table would lose its triggers
    # (full-text search, counts, sort labels).
    op.execute("ALTER TABLE partnerships ADD COLUMN evaluation_cadence_months INTEGER "
               "DEFAULT '12' NOT NULL")
    op.create_table(
        "settings",
        *_record_columns(),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_settings"),
        sa.UniqueConstraint("key", name="uq_settings_key"),
    )
    op.create_table(
        "reminder_states",
        *_record_columns(),
        sa.Column("item_key", sa.String(200), nullable=False),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_states"),
        sa.UniqueConstraint("item_key", name="uq_reminder_states_item_key"),
    )
    for name, table, columns, where in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} ({columns}) WHERE {where}")


def downgrade() -> None:
    for name, *_ in INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.drop_table("reminder_states")
    op.drop_table("settings")
    op.execute("ALTER TABLE partnerships DROP COLUMN evaluation_cadence_months")
