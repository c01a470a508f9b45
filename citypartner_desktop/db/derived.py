"""Data that SQLite keeps current itself, with triggers, so that big pages stay instant.

- ``live_counts``: live and deleted rows per record table. ``count(*)`` over a million
  activities walks a whole index (~50 ms, more on a cold cache); the page's row count is needed
  before its first row can be painted.
- Sort labels: a copy of a referenced record's label in the referring row (an activity's
  partnership title, a contact's "City (CC)"). Sorting a million activities by partnership
  through a join sorts the whole table (~0.7 s); the copy has an index like any other column.
- Search copies: a referenced record's search key beside the row's own, as a second column of
  the row's full-text index (a contact is found by its city's name). "anna k" is then one FTS
  query (~3 ms) instead of, per word, the contacts matching it or living in a city matching it
  (~20 ms when a short prefix matches 28,000 contacts).

Triggers (made by migration 0004) keep counts and labels current whoever writes: services, an
import, a migration, an SQL shell. A search copy is written by the writer of the row (services
and ``refresh_all``) and kept current by a trigger when the referenced record changes: a
trigger that filled it on insert would have to run after the full-text trigger, and SQLite
does not promise an order. Bulk loads drop the triggers with the secondary indexes and call
``refresh_all`` once at the end (see ``repositories.bulk.indexes_suspended``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the SQLAlchemy-free read path (repositories.table_rows)
    from sqlalchemy import Connection

COUNTS_TABLE = "live_counts"
# Every record table but the audit trail (which no page counts).
COUNTED_TABLES: tuple[str, ...] = (
    "cities", "contacts", "programmes", "partnerships", "memberships", "coordinators", "goals",
    "actions", "agreements", "signatories", "responsibilities", "activities", "participants",
    "evaluations", "criterion_scores", "health_checks", "kpi_measurements", "attachments",
)


@dataclass(frozen=True)
class SortLabel:
    table: str  # the referring table
    column: str  # the label copy in it
    ref_column: str  # the foreign key
    ref_table: str
    label_sql: str  # the referenced record's label, over the columns of ``ref_table``
    label_sources: tuple[str, ...]  # the columns of ``ref_table`` that the label is made of

    def label_of(self, alias: str) -> str:
        sql = self.label_sql
        for name in self.label_sources:
            sql = sql.replace(name, f"{alias}.{name}")
        return sql


# Must name a record the way ``repositories.records.label_expression`` and
# ``repositories.table_rows.label_sql`` do (a test checks).
_CITY = ("name || ' (' || country || ')'", ("name", "country"))
_PARTNERSHIP = ("title", ("title",))

SORT_LABELS: tuple[SortLabel, ...] = (
    SortLabel("activities", "partnership_label", "partnership_id", "partnerships", *_PARTNERSHIP),
    SortLabel("activities", "city_label", "city_id", "cities", *_CITY),
    SortLabel("contacts", "city_label", "city_id", "cities", *_CITY),
    SortLabel("actions", "partnership_label", "partnership_id", "partnerships", *_PARTNERSHIP),
)


@dataclass(frozen=True)
class SearchCopy:
    table: str
    column: str
    ref_column: str
    ref_table: str


SEARCH_COPIES: tuple[SearchCopy, ...] = (
    SearchCopy("contacts", "city_key", "city_id", "cities"),
)


def search_copy_column(table: str, ref_column: str) -> str | None:
    for copy in SEARCH_COPIES:
        if (copy.table, copy.ref_column) == (table, ref_column):
            return copy.column
    return None


def derived_columns(table: str) -> tuple[str, ...]:
    """Columns of ``table`` that are copies of other rows' data, never typed in."""
    labels = tuple(x.column for x in SORT_LABELS if x.table == table)
    return labels + tuple(x.column for x in SEARCH_COPIES if x.table == table)


def sort_label_column(table: str, ref_column: str) -> str | None:
    """The label copy of ``table.ref_column``, if it has one."""
    for label in SORT_LABELS:
        if (label.table, label.ref_column) == (table, ref_column):
            return label.column
    return None


def is_derived_trigger(name: str) -> bool:
    return "_count_" in name or "_label_" in name or "_copy_" in name


def recount_sql(table: str, dialect: str = "sqlite") -> str:
    counted = (f"SELECT '{table}', count(*) FILTER (WHERE deleted_at IS NULL), "
               f"count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM {table}")
    if dialect == "postgresql":
        return (f"INSERT INTO {COUNTS_TABLE} (table_name, live, deleted) {counted} "
                "ON CONFLICT (table_name) DO UPDATE SET live = excluded.live, "
                "deleted = excluded.deleted")
    return f"INSERT OR REPLACE INTO {COUNTS_TABLE} (table_name, live, deleted) {counted}"


def relabel_sql(label: SortLabel) -> str:
    return (
        f"UPDATE {label.table} SET {label.column} = (SELECT {label.label_of('r')} "
        f"FROM {label.ref_table} AS r WHERE r.id = {label.table}.{label.ref_column})"
    )


def refresh_all(connection: Connection) -> None:
    """Recount every table and recompute every sort label (after a load without triggers)."""
    for table in COUNTED_TABLES:
        connection.exec_driver_sql(recount_sql(table))
    for label in SORT_LABELS:
        connection.exec_driver_sql(relabel_sql(label))
    refresh_search_copies(connection)


def refresh_search_copies(connection: Connection) -> None:
    """Fill every search copy from the referenced records (after a bulk load)."""
    for copy in SEARCH_COPIES:
        connection.exec_driver_sql(
            f"UPDATE {copy.table} SET {copy.column} = (SELECT search_key FROM {copy.ref_table} "
            f"AS r WHERE r.id = {copy.table}.{copy.ref_column})")
