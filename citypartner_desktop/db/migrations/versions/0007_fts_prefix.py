"""Prefix indexes for search as you type, and an index of each table's deleted rows

Revision ID: 0007_fts_prefix
Revises: 0006_import
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0007_fts_prefix"
down_revision = "0006_import"
branch_labels = None
depends_on = None

# Frozen here (not imported from the app) so this revision means the same thing forever.
TABLES = ("cities", "contacts", "programmes", "partnerships", "agreements", "activities",
          "actions", "evaluations")
# One- and two-letter prefixes ("anna k", "w") read one prepared list of rows instead of
# merging the lists of every word that starts so: 5x faster for "anna k" over 200,000
# contacts. Longer prefixes match few enough words to merge quickly.
PREFIX_OPTION = ", prefix='1 2'"


def _recreate(table: str, definition: str) -> None:
    """An FTS5 table cannot change its options: drop it, create it anew and fill it from its
    content table. The triggers that keep it current live on the content table and name it
    only in their bodies, so they carry on."""
    fts = f"{table}_fts"
    op.execute(f"DROP TABLE {fts}")
    op.execute(definition)
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _definition(table: str) -> str:
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?",
                               (f"{table}_fts",)).scalar_one()
    return str(sql)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"  # its GIN index needs no prefixes
    for table in TABLES:
        definition = "" if postgresql else _definition(table)
        if not postgresql and PREFIX_OPTION not in definition:
            _recreate(table, definition.rstrip().removesuffix(")") + PREFIX_OPTION + ")")
        # Deleted rows are few: the deleted-items view and search counts find them by this.
        op.execute(f"CREATE INDEX ix_{table}_deleted ON {table} (deleted_at) "
                   "WHERE deleted_at IS NOT NULL")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        op.execute(f"DROP INDEX ix_{table}_deleted")
        if not postgresql:
            _recreate(table, _definition(table).replace(PREFIX_OPTION, ""))
