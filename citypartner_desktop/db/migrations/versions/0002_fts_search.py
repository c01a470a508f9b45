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


# PostgreSQL: a generated tsvector over the search key (already folded by the app: lower
# case, no accents) and a GIN index. Punctuation becomes spaces first, so that the 'simple'
# parser splits "anna@krakow.pl" or "nürnberg–kraków" into words as FTS5's unicode61 does,
# whatever the server's locale.
PG_PUNCTUATION = ("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
                  "\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201b\u201c"
                  "\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u00b7\u2022\u2026\u00a1"
                  "\u00bf\u00a7\u00b6\u00b0\u00d7\u3001\u3002\u30fb\u300c\u300d\uff0c"
                  "\uff0e\uff1a\uff1b\uff01\uff1f\uff08\uff09")


def pg_words(columns: str) -> str:
    """The tsvector expression over ``columns`` (SQL concatenated with ``||``)."""
    quoted = PG_PUNCTUATION.replace("'", "''")
    spaces = " " * len(PG_PUNCTUATION)
    return (f"to_tsvector('simple'::regconfig, translate({columns}, '{quoted}', '{spaces}'))")


def add_pg_search(table: str, columns: str = "coalesce(search_key, '')") -> None:
    op.execute(f"ALTER TABLE {table} ADD COLUMN search_tsv tsvector "
               f"GENERATED ALWAYS AS ({pg_words(columns)}) STORED")
    op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search_tsv)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            add_pg_search(table)
        return
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
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} DROP COLUMN search_tsv")  # and its index
        return
    for table in TABLES:
        for what in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{what}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
