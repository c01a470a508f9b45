"""Change notices on an office server: every change to a table is announced to the other
desktops (PostgreSQL NOTIFY), so that their open pages show it within a moment

Revision ID: 0008_change_notices
Revises: 0007_fts_prefix
Create Date: 2026-12-06

A database file has one user at a time and nothing to announce: on SQLite this revision
changes nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0008_change_notices"
down_revision = "0007_fts_prefix"
branch_labels = None
depends_on = None

# Frozen here (not imported from the app) so this revision means the same thing forever:
# every table with an id but the history (written with every change it describes).
TABLES = ("attachments", "cities", "programmes", "reminder_states", "settings", "contacts",
          "partnerships", "activities", "agreements", "coordinators", "evaluations", "goals",
          "memberships", "actions", "criterion_scores", "health_checks", "kpi_measurements",
          "participants", "responsibilities", "signatories")
CHANNEL = "citypartner_changes"
# Ids named in one notice at most (a notice holds 8,000 bytes); more changed rows are
# announced as "this table changed". After this many notices per table, a transaction (an
# import, the demo) announces that table once more without ids, then stays quiet.
MOST_IDS = 40
MOST_NOTICES = 50

FUNCTION = f"""
CREATE OR REPLACE FUNCTION cp_announce_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    counter text := 'citypartner.notices_' || TG_TABLE_NAME;
    sent integer := coalesce(nullif(current_setting(counter, true), ''), '0')::integer;
    ids text := '';
    changed integer;
BEGIN
    IF sent > {MOST_NOTICES} THEN
        RETURN NULL;
    END IF;
    PERFORM set_config(counter, (sent + 1)::text, true);
    IF sent < {MOST_NOTICES} THEN
        SELECT count(*), string_agg(id, ',') INTO changed, ids
          FROM (SELECT id FROM changed_rows LIMIT {MOST_IDS + 1}) AS picked;
        IF changed = 0 THEN
            RETURN NULL;
        END IF;
        IF changed > {MOST_IDS} THEN
            ids := '';
        END IF;
    END IF;
    PERFORM pg_notify('{CHANNEL}', current_setting('application_name') || '|'
                      || TG_TABLE_NAME || '|' || coalesce(ids, ''));
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table in TABLES:
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER cp_announce_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {rows} TABLE AS changed_rows FOR EACH STATEMENT "
                "EXECUTE FUNCTION cp_announce_changes()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS cp_announce_{event} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS cp_announce_changes()")
