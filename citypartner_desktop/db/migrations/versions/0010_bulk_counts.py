"""Row counts paused for a bulk load on an office server, then counted once

Revision ID: 0010_bulk_counts
Revises: 0009_live_order_nulls_first
Create Date: 2026-12-06

Each inserted row updated the one ``live_counts`` row of its table; inside one long
transaction (the large demo, an import) every update leaves a row version nobody may clean up
yet, and each insert got slower than the last: 10k / 20k / 40k rows took 1.0 / 6.3 / 31.8 s
against 0.15 / 0.31 / 0.75 s without the trigger. A load now sets the transaction-local
``citypartner.counts_paused`` and counts each table once at its end
(``repositories.bulk.indexes_suspended``). Disabling the triggers instead would lock the
tables for every colleague until the load commits. A file needs nothing: its loads drop the
triggers (SQLite has no such row versions anyway).
"""

from __future__ import annotations

from alembic import op

revision = "0010_bulk_counts"
down_revision = "0009_live_order_nulls_first"
branch_labels = None
depends_on = None

# Frozen here: 0004's function, with the pause in front (UPGRADED) or without (ORIGINAL).
_BODY = """
  IF TG_OP = 'INSERT' THEN
    UPDATE live_counts SET live = live + (NEW.deleted_at IS NULL)::int,
      deleted = deleted + (NEW.deleted_at IS NOT NULL)::int WHERE table_name = TG_TABLE_NAME;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE live_counts SET live = live - (OLD.deleted_at IS NULL)::int,
      deleted = deleted - (OLD.deleted_at IS NOT NULL)::int WHERE table_name = TG_TABLE_NAME;
  ELSIF (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) THEN
    UPDATE live_counts SET
      live = live + (NEW.deleted_at IS NULL)::int - (OLD.deleted_at IS NULL)::int,
      deleted = deleted + (NEW.deleted_at IS NOT NULL)::int - (OLD.deleted_at IS NOT NULL)::int
      WHERE table_name = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
"""
_PAUSE = """
  IF current_setting('citypartner.counts_paused', true) = 'on' THEN
    RETURN NULL;
  END IF;
"""


def _function(body: str) -> str:
    return ("CREATE OR REPLACE FUNCTION cp_count() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN{body}END $$")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(_PAUSE + _BODY))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(_BODY))
