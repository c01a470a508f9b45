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
    op.execute(
        "CREATE INDEX ix_activities_live_visits ON activities (partnership_id, start_date) "
        "WHERE kind = 'visit' AND deleted_at IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_activities_live_visits")
    op.drop_table("reminder_states")
    op.drop_table("settings")
    op.execute("ALTER TABLE partnerships DROP COLUMN evaluation_cadence_months")
