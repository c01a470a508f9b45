"""The pages' sort indexes on PostgreSQL in the order the pages ask for: empty values first
going up (as SQLite sorts them; ``search_sql.TsSearch.nulls``)

Revision ID: 0009_live_order_nulls_first
Revises: 0008_change_notices
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0009_live_order_nulls_first"
down_revision = "0008_change_notices"
branch_labels = None
depends_on = None

# Frozen here: 0003's and 0004's live-order indexes. The pages sort by
# "<column> ASC NULLS FIRST, id ASC" (or "<column> DESC NULLS LAST, id DESC") on PostgreSQL,
# which an index on (<column>, id) - NULLS LAST going up - cannot give in either direction:
# every page, sort, jump and broad search sorted the whole table. (<column> NULLS FIRST, id)
# gives the one order read forwards and the other read backwards. SQLite needs nothing: its
# empty values come first going up anyway.
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
    ("activities", "partnership_label"),
    ("activities", "city_label"),
    ("contacts", "city_label"),
    ("actions", "partnership_label"),
)


def _rebuild(nulls: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in LIVE_ORDER:
        quoted = f'"{column}"'  # "position" is a keyword in PostgreSQL
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_live_{column}")
        op.execute(f"CREATE INDEX ix_{table}_live_{column} ON {table} ({quoted}{nulls}, id) "
                   "WHERE deleted_at IS NULL")


def upgrade() -> None:
    _rebuild(" NULLS FIRST")


def downgrade() -> None:
    _rebuild("")
