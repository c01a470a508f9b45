"""Covering partial indexes for the pages' sort orders, live rows only

Revision ID: 0003_live_order_indexes
Revises: 0002_fts_search
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003_live_order_indexes"
down_revision = "0002_fts_search"
branch_labels = None
depends_on = None

# Frozen here so this revision means the same thing forever.
LIVE_ORDER = (
    ("cities", "name"),
    ("contacts", "full_name"),
    ("contacts", "position"),
    ("contacts", "organisation"),
    ("contacts", "email"),
    ("contacts", "phone"),
    ("programmes", "name"),
    ("partnerships", "title"),
    ("agreements", "title"),
    ("activities", "start_date"),
    ("activities", "kind"),
    ("activities", "title"),
    ("activities", "participant_count"),
    ("actions", "title"),
    ("evaluations", "evaluated_on"),
)


def upgrade() -> None:
    for table, column in LIVE_ORDER:
        op.execute(
            f"CREATE INDEX ix_{table}_live_{column} ON {table} ({column}, id) "
            "WHERE deleted_at IS NULL"
        )


def downgrade() -> None:
    for table, column in LIVE_ORDER:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_live_{column}")
