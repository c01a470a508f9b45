"""Full-text search (FTS5) over every table's search key

Revision ID: 0002_fts_search
Revises: 0001_initial
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002_fts_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# Frozen here (not imported from the app) so this revision means the same thing forever.
TABLES = ("cities", "contacts", "programmes", "partnerships", "agreements", "activities",
          "actions", "evaluations")


def upgrade() -> None:
    for table in TABLES:
        fts = f"{table}_fts"
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5(search_key, content='{table}', "
            f"content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, search_key) VALUES (new.rowid, new.search_key); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, search_key) "
            f"VALUES ('delete', old.rowid, old.search_key); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF search_key ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, search_key) "
            f"VALUES ('delete', old.rowid, old.search_key); "
            f"INSERT INTO {fts}(rowid, search_key) VALUES (new.rowid, new.search_key); END"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # existing rows


def downgrade() -> None:
    for table in TABLES:
        for what in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{what}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
