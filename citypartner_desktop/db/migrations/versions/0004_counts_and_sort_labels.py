"""Row counts per table, sort labels and search keys of referenced records, kept by triggers

Revision ID: 0004_counts_and_sort_labels
Revises: 0003_live_order_indexes
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004_counts_and_sort_labels"
down_revision = "0003_live_order_indexes"
branch_labels = None
depends_on = None

# Frozen here (not imported from the app) so this revision means the same thing forever.
COUNTED = (
    "cities", "contacts", "programmes", "partnerships", "memberships", "coordinators", "goals",
    "actions", "agreements", "signatories", "responsibilities", "activities", "participants",
    "evaluations", "criterion_scores", "health_checks", "kpi_measurements", "attachments",
)
CITY = ("name || ' (' || country || ')'", ("name", "country"))
PARTNERSHIP = ("title", ("title",))
# (table, label column, foreign key, referenced table, label SQL, the columns it is made of)
SORT_LABELS = (
    ("activities", "partnership_label", "partnership_id", "partnerships", *PARTNERSHIP),
    ("activities", "city_label", "city_id", "cities", *CITY),
    ("contacts", "city_label", "city_id", "cities", *CITY),
    ("actions", "partnership_label", "partnership_id", "partnerships", *PARTNERSHIP),
)
# (table, copy column, foreign key, referenced table): its search key, a second FTS column
SEARCH_COPIES = (("contacts", "city_key", "city_id", "cities"),)
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
LIVE_ORDER = (
    ("activities", "partnership_label"),
    ("activities", "city_label"),
    ("contacts", "city_label"),
    ("actions", "partnership_label"),
)


def _qualified(sql: str, sources: tuple[str, ...], alias: str) -> str:
    for name in sources:
        sql = sql.replace(name, f"{alias}.{name}")
    return sql


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
        return
    _fill_counts()
    for t in COUNTED:
        op.execute(
            f"CREATE TRIGGER {t}_count_insert AFTER INSERT ON {t} BEGIN "
            f"UPDATE live_counts SET live = live + (new.deleted_at IS NULL), "
            f"deleted = deleted + (new.deleted_at IS NOT NULL) WHERE table_name = '{t}'; END"
        )
        op.execute(
            f"CREATE TRIGGER {t}_count_delete AFTER DELETE ON {t} BEGIN "
            f"UPDATE live_counts SET live = live - (old.deleted_at IS NULL), "
            f"deleted = deleted - (old.deleted_at IS NOT NULL) WHERE table_name = '{t}'; END"
        )
        op.execute(
            f"CREATE TRIGGER {t}_count_update AFTER UPDATE OF deleted_at ON {t} "
            f"WHEN (old.deleted_at IS NULL) <> (new.deleted_at IS NULL) BEGIN "
            f"UPDATE live_counts SET "
            f"live = live + (new.deleted_at IS NULL) - (old.deleted_at IS NULL), "
            f"deleted = deleted + (new.deleted_at IS NOT NULL) - (old.deleted_at IS NOT NULL) "
            f"WHERE table_name = '{t}'; END"
        )
    for table, column, fk, ref, label, sources in SORT_LABELS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
        lookup = (f"(SELECT {_qualified(label, sources, 'r')} FROM {ref} AS r "
                  f"WHERE r.id = new.{fk})")
        op.execute(
            f"UPDATE {table} SET {column} = (SELECT {_qualified(label, sources, 'r')} "
            f"FROM {ref} AS r WHERE r.id = {table}.{fk})"
        )
        for event in ("insert", "update"):
            when = "INSERT" if event == "insert" else f"UPDATE OF {fk}"
            op.execute(
                f"CREATE TRIGGER {table}_label_{fk}_{event} AFTER {when} ON {table} BEGIN "
                f"UPDATE {table} SET {column} = {lookup} WHERE rowid = new.rowid; END"
            )
        op.execute(
            f"CREATE TRIGGER {ref}_label_to_{table}_{fk} AFTER UPDATE OF {', '.join(sources)} "
            f"ON {ref} BEGIN UPDATE {table} SET {column} = {_qualified(label, sources, 'new')} "
            f"WHERE {fk} = new.id; END"
        )
    for table, column, fk, ref in SEARCH_COPIES:
        _add_search_copy(table, column, fk, ref)
    for table, column in LIVE_ORDER:
        op.execute(
            f"CREATE INDEX ix_{table}_live_{column} ON {table} ({column}, id) "
            "WHERE deleted_at IS NULL"
        )


def _fill_counts() -> None:
    op.execute(
        "CREATE TABLE live_counts (table_name VARCHAR(40) NOT NULL, live INTEGER NOT NULL, "
        "deleted INTEGER NOT NULL, CONSTRAINT pk_live_counts PRIMARY KEY (table_name))"
    )
    for t in COUNTED:
        op.execute(
            f"INSERT INTO live_counts (table_name, live, deleted) SELECT '{t}', "
            f"count(*) FILTER (WHERE deleted_at IS NULL), "
            f"count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM {t}"
        )


# PostgreSQL: the same derived data, kept by PL/pgSQL trigger functions. One function counts
# for every table (TG_TABLE_NAME); a label or a search copy has a function of its own.
PG_COUNT = """
CREATE FUNCTION cp_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
END $$"""


def _pg_function(name: str, body: str, returns: str = "NEW") -> None:
    op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
               f"BEGIN {body} RETURN {returns}; END $$")


# How PostgreSQL writes the search words' source (0002) back, alone and with a search copy.
_PG_KEY_ONLY = "COALESCE(search_key, ''::text)"


def _pg_key_and(column: str) -> str:
    return f"(({_PG_KEY_ONLY} || ' '::text) || COALESCE({column}, ''::text))"


def _rewrite_search_words(table: str, old: str, new: str, *, drop: str | None = None) -> None:
    """Make ``table``'s generated search words (and their GIN index) anew from ``new``
    instead of ``old``; ``drop``: a column to drop in between, which only they used."""
    words = str(op.get_bind().exec_driver_sql(
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
        "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
        f"WHERE d.adrelid = '{table}'::regclass AND a.attname = 'search_tsv'").scalar_one())
    assert old in words, words
    op.execute(f"ALTER TABLE {table} DROP COLUMN search_tsv")  # its index goes with it
    if drop is not None:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {drop}")
    op.execute(f"ALTER TABLE {table} ADD COLUMN search_tsv tsvector "
               f"GENERATED ALWAYS AS ({words.replace(old, new)}) STORED")
    op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search_tsv)")


def _upgrade_postgresql() -> None:
    _fill_counts()
    op.execute(PG_COUNT)
    for t in COUNTED:
        op.execute(f"CREATE TRIGGER {t}_count AFTER INSERT OR DELETE OR UPDATE OF deleted_at "
                   f"ON {t} FOR EACH ROW EXECUTE FUNCTION cp_count()")
    for table, column, fk, ref, label, sources in SORT_LABELS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
        op.execute(
            f"UPDATE {table} SET {column} = (SELECT {_qualified(label, sources, 'r')} "
            f"FROM {ref} AS r WHERE r.id = {table}.{fk})"
        )
        _pg_function(f"{table}_label_{fk}",
                     f"NEW.{column} := (SELECT {_qualified(label, sources, 'r')} FROM {ref} "
                     f"AS r WHERE r.id = NEW.{fk});")
        op.execute(f"CREATE TRIGGER {table}_label_{fk} BEFORE INSERT OR UPDATE OF {fk} "
                   f"ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_label_{fk}()")
        _pg_function(f"{ref}_label_to_{table}_{fk}",
                     f"UPDATE {table} SET {column} = {_qualified(label, sources, 'NEW')} "
                     f"WHERE {fk} = NEW.id;", returns="NULL")
        op.execute(f"CREATE TRIGGER {ref}_label_to_{table}_{fk} AFTER UPDATE OF "
                   f"{', '.join(sources)} ON {ref} FOR EACH ROW "
                   f"EXECUTE FUNCTION {ref}_label_to_{table}_{fk}()")
    for table, column, fk, ref in SEARCH_COPIES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
        op.execute(f"UPDATE {table} SET {column} = "
                   f"(SELECT search_key FROM {ref} AS r WHERE r.id = {table}.{fk})")
        # The row's search words now include the copy: the generated column (0002) again,
        # over both columns.
        _rewrite_search_words(table, _PG_KEY_ONLY, _pg_key_and(column))
        _pg_function(f"{ref}_copy_to_{table}_{column}",
                     f"UPDATE {table} SET {column} = NEW.search_key WHERE {fk} = NEW.id;",
                     returns="NULL")
        op.execute(f"CREATE TRIGGER {ref}_copy_to_{table}_{column} AFTER UPDATE OF search_key "
                   f"ON {ref} FOR EACH ROW EXECUTE FUNCTION {ref}_copy_to_{table}_{column}()")
    for table, column in LIVE_ORDER:
        op.execute(
            f"CREATE INDEX ix_{table}_live_{column} ON {table} ({column}, id) "
            "WHERE deleted_at IS NULL"
        )


def _downgrade_postgresql() -> None:
    for table, column in LIVE_ORDER:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_live_{column}")
    for table, column, _fk, ref in SEARCH_COPIES:
        op.execute(f"DROP FUNCTION {ref}_copy_to_{table}_{column}() CASCADE")
        _rewrite_search_words(table, _pg_key_and(column), _PG_KEY_ONLY, drop=column)
    for table, column, fk, ref, _label, _sources in SORT_LABELS:
        op.execute(f"DROP FUNCTION {ref}_label_to_{table}_{fk}() CASCADE")
        op.execute(f"DROP FUNCTION {table}_label_{fk}() CASCADE")
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.execute("DROP FUNCTION cp_count() CASCADE")
    op.execute("DROP TABLE live_counts")


def _add_search_copy(table: str, column: str, fk: str, ref: str) -> None:
    fts = f"{table}_fts"
    op.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    op.execute(f"UPDATE {table} SET {column} = "
               f"(SELECT search_key FROM {ref} AS r WHERE r.id = {table}.{fk})")
    for what in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER {table}_fts_{what}")
    op.execute(f"DROP TABLE {fts}")
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_key, {column}, content='{table}', "
        f"content_rowid='rowid', tokenize='{FTS_TOKENIZE}')"
    )
    op.execute(
        f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_key, {column}) "
        f"VALUES (new.rowid, new.search_key, new.{column}); END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_key, {column}) "
        f"VALUES ('delete', old.rowid, old.search_key, old.{column}); END"
    )
    op.execute(
        f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF search_key, {column} ON {table} "
        f"BEGIN INSERT INTO {fts}({fts}, rowid, search_key, {column}) "
        f"VALUES ('delete', old.rowid, old.search_key, old.{column}); "
        f"INSERT INTO {fts}(rowid, search_key, {column}) "
        f"VALUES (new.rowid, new.search_key, new.{column}); END"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    op.execute(
        f"CREATE TRIGGER {ref}_copy_to_{table}_{column} AFTER UPDATE OF search_key ON {ref} "
        f"BEGIN UPDATE {table} SET {column} = new.search_key WHERE {fk} = new.id; END"
    )


def _drop_search_copy(table: str, column: str, ref: str) -> None:
    fts = f"{table}_fts"
    op.execute(f"DROP TRIGGER IF EXISTS {ref}_copy_to_{table}_{column}")
    for what in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER {table}_fts_{what}")
    op.execute(f"DROP TABLE {fts}")
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite >= 3.35 keeps triggers
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_key, content='{table}', "
        f"content_rowid='rowid', tokenize='{FTS_TOKENIZE}')"
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
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _downgrade_postgresql()
        return
    for table, column in LIVE_ORDER:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_live_{column}")
    for table, column, _fk, ref in SEARCH_COPIES:
        _drop_search_copy(table, column, ref)
    for table, column, fk, ref, _label, _sources in SORT_LABELS:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_label_{fk}_{event}")
        op.execute(f"DROP TRIGGER IF EXISTS {ref}_label_to_{table}_{fk}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for t in COUNTED:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}_count_{event}")
    op.execute("DROP TABLE live_counts")
