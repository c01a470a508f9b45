"""The pages of a table (list and count), in plain SQL over any DB-API connection.

Written without SQLAlchemy on purpose: the application paints its first page of data before
the ORM (about half a second of imports) is loaded, through ``db.reader``. Services call the
same functions with the connection of their unit of work, so there is one way to read a page.

Identifiers come from the entity specs, never from what the user typed; values are always
bound parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from citypartner_desktop.db import derived, fts
from citypartner_desktop.domain.records import ListQuery, RowData
from citypartner_desktop.domain.specs import EntitySpec, FieldKind, spec_for
from citypartner_desktop.domain.text import fold
from citypartner_desktop.repositories.plain_sql import Connection, as_bool, as_date, as_json

# From this offset on, pages are read in two steps (ids first); below it one query is cheaper.
TWO_STEP_OFFSET = 1000
# Below this many matches a search is never walked row by row (see ``_dense``).
DENSE_MIN_MATCHES = 2_000
# Live searches are counted in the full-text index while the deleted rows, tested one by one,
# are at most this many (see ``_search_count``).
FEW_DELETED = 5_000
# Columns every record table has besides its spec's fields.
RECORD_COLUMNS = ("id", "version", "created_at", "updated_at", "deleted_at")


def label_sql(kind: str, alias: str) -> str:
    """How a record of ``kind`` is named in lists (``records.label_expression`` in SQL text;
    a test checks the two agree)."""
    if kind == "city":
        return f"{alias}.name || ' (' || {alias}.country || ')'"
    if kind == "evaluation":
        return (f"{alias}.period || ' – ' || "
                f"coalesce(CAST({alias}.evaluated_on AS VARCHAR), '')")
    return f"{alias}.{spec_for(kind).title_field}"


def _column(spec: EntitySpec, name: str) -> str:
    """``name`` as a column of the spec's table, refusing anything that is not one."""
    if name not in RECORD_COLUMNS:
        field = spec.field(name)  # KeyError for an unknown field
        if field.kind is FieldKind.SCORES:
            raise KeyError(f"{spec.kind}.{name} is not a column")
    return f"{spec.table}.{name}"


# SQLite hands back text for dates and JSON, integers for booleans; convert as the ORM would.
_CONVERT: dict[FieldKind, Callable[[Any], Any]] = {
    FieldKind.DATE: as_date,
    FieldKind.MULTICHOICE: as_json,
    FieldKind.BOOL: as_bool,
}


def _select(spec: EntitySpec, fields: tuple[str, ...]) -> tuple[str, list[str], list[str]]:
    """The SELECT … FROM … of a list: columns, with referenced records as their labels."""
    table = spec.table
    selected = [f"{table}.id", f"{table}.version"]
    joins: list[str] = []
    for name in fields:
        field = spec.field(name)
        if field.kind is FieldKind.REF and field.ref:
            alias = f"ref_{name}"
            joins.append(f"LEFT OUTER JOIN {spec_for(field.ref).table} AS {alias} "
                         f"ON {table}.{name} = {alias}.id")
            selected.append(label_sql(field.ref, alias))
        else:
            selected.append(_column(spec, name))
    return f"SELECT {', '.join(selected)} FROM {table}", joins, selected


def _search_words(spec: EntitySpec, query: ListQuery) -> list[str] | None:
    """The words searched for, or None when the list is not searched."""
    if not query.search.strip() or not spec.search_fields:
        return None
    return fts.search_words(fold(query.search))


def _table_counts(connection: Connection, spec: EntitySpec) -> tuple[int, int] | None:
    """(live, deleted) rows of the table, as the triggers keep them (``db.derived``)."""
    for live, deleted in connection.execute(
            f"SELECT live, deleted FROM {derived.COUNTS_TABLE} WHERE table_name = ?",
            (spec.table,)):
        return int(live), int(deleted)
    return None


def _dense(connection: Connection, spec: EntitySpec, query: ListQuery,
           words: list[str] | None) -> bool:
    """Whether a search of the live rows matches so many of them that a page is found
    faster by walking the sort order and testing each row (``fts.MATCH_FUNCTION``) than by
    reading every match and sorting them all: "w" matches half of 1,000,000 activities,
    1.5 s the one way, 20 ms the other. Both cost about the same per row, so the walk wins
    once the matches outnumber the rows it takes to fill a page (the page over the share
    that matches): from sqrt(page x table) matches on, if the matches were spread evenly
    along the sort order. They rarely are ("ka" finds the Kaminskis together), hence twice
    that. Only without filters (their rows are few) and for the live rows. Counting the
    matches stops at the threshold."""
    if not words or query.deleted or query.filters:
        return False
    counts = _table_counts(connection, spec)
    if counts is None:
        return False
    threshold = max(DENSE_MIN_MATCHES, 2 * math.isqrt(max(query.limit, 1) * counts[0]))
    fts_table = fts.fts_name(spec.table)
    [(matches,)] = connection.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {fts_table} WHERE {fts_table} MATCH ? LIMIT ?)",
        (fts.match_query(words), threshold))
    return int(matches) >= threshold


def _where(spec: EntitySpec, query: ListQuery, *, scan: bool = False,
           dense: bool = False) -> tuple[list[str], list[Any]]:
    """The filter of a list. ``scan``: the order needs a full sort anyway (a joined column), so
    keep SQLite from walking a partial "live rows" index for the state test and fetching every
    row through it (unary + hides a term from the index chooser): a plain scan is ~5x faster.
    ``dense``: the search is tested row by row (see ``_dense``)."""
    state = f"+{spec.table}.deleted_at" if scan else f"{spec.table}.deleted_at"
    clauses = [f"{state} IS NOT NULL" if query.deleted else f"{state} IS NULL"]
    params: list[Any] = []
    for name, value in query.filters:
        clauses.append(f"{_column(spec, name)} = ?")
        params.append(value)
    words = _search_words(spec, query)
    if words is not None:
        if not words:  # only punctuation typed: nothing can match
            clauses.append("0")
        elif dense:
            clauses.append(_row_test(spec))
            params.append(fts.function_argument(words))
        else:
            fts_table = fts.fts_name(spec.table)
            clauses.append(f"{spec.table}.rowid IN (SELECT rowid FROM {fts_table} "
                           f"WHERE {fts_table} MATCH ?)")
            params.append(fts.match_query(words))
    return clauses, params


def _row_test(spec: EntitySpec) -> str:
    columns = ", ".join(f"{spec.table}.{c}" for c in fts.indexed_columns(spec.table))
    return f"{fts.MATCH_FUNCTION}(?, {columns})"


def list_rows(connection: Connection, kind: str, query: ListQuery) -> list[RowData]:
    spec = spec_for(kind)
    fields = query.columns or spec.list_fields
    head, joins, selected = _select(spec, fields)
    sort_field = query.sort_field or fields[0]
    joined = False
    if sort_field in fields:
        sort_sql = selected[2 + fields.index(sort_field)]
        joined = spec.field(sort_field).kind is FieldKind.REF
    else:
        sort_sql = _column(spec, sort_field)
    label_column = derived.sort_label_column(spec.table, sort_field)
    if label_column is not None:  # the referenced label, copied into this table and indexed
        sort_sql, joined = f"{spec.table}.{label_column}", False
    direction = "DESC" if query.descending else "ASC"
    order = f"ORDER BY {sort_sql} {direction}, {spec.table}.id {direction}"  # stable pages
    join_sql = " ".join(joins)
    dense = not joined and _dense(connection, spec, query, _search_words(spec, query))
    if query.offset >= TWO_STEP_OFFSET and not joined:
        # Deep pages in two steps: first the ids alone, walking an index on the sort column
        # (covering for each page's default order), then just those rows with their joins.
        where, params = _where(spec, query, dense=dense)
        sql = (f"{head} {join_sql} WHERE {spec.table}.id IN (SELECT {spec.table}.id "
               f"FROM {spec.table} WHERE {' AND '.join(where)} {order} LIMIT ? OFFSET ?) "
               f"{order}")
    else:
        where, params = _where(spec, query, scan=joined, dense=dense)
        sql = f"{head} {join_sql} WHERE {' AND '.join(where)} {order} LIMIT ? OFFSET ?"
    params += [query.limit, query.offset]
    converters = [_CONVERT.get(spec.field(name).kind) for name in fields]
    rows = []
    for row in connection.execute(sql, params):
        values = tuple(v if convert is None else convert(v)
                       for convert, v in zip(converters, row[2:], strict=True))
        rows.append(RowData(row[0], row[1], values))
    return rows


def count_rows(connection: Connection, kind: str, query: ListQuery) -> int:
    spec = spec_for(kind)
    if not query.filters and not query.search.strip():
        # The whole table's count as the triggers keep it (``db.derived``), if they do.
        column = "deleted" if query.deleted else "live"
        for (counted,) in connection.execute(
                f"SELECT {column} FROM {derived.COUNTS_TABLE} WHERE table_name = ?",
                (spec.table,)):
            return int(counted)
    words = _search_words(spec, query)
    if words and not query.filters and not query.deleted:
        counted = _search_count(connection, spec, words)
        if counted is not None:
            return counted
    where, params = _where(spec, query)
    for (counted,) in connection.execute(
            f"SELECT count(*) FROM {spec.table} WHERE {' AND '.join(where)}", params):
        return int(counted)
    return 0


def _search_count(connection: Connection, spec: EntitySpec, words: list[str]) -> int | None:
    """Live rows matching a search: every match in the full-text index (which holds the
    deleted rows too), less the deleted rows that match, found through their index and tested
    one by one. Reading each match's row to ask whether it is deleted costs ~1 µs a match
    (0.4 s for "w" over 1,000,000 activities); this, 20 ms. None when too many rows are
    deleted for that."""
    counts = _table_counts(connection, spec)
    if counts is None or counts[1] > FEW_DELETED:
        return None
    deleted = counts[1]
    fts_table = fts.fts_name(spec.table)
    [(everywhere,)] = connection.execute(
        f"SELECT count(*) FROM {fts_table} WHERE {fts_table} MATCH ?",
        (fts.match_query(words),))
    if not deleted:
        return int(everywhere)
    [(matching,)] = connection.execute(
        f"SELECT count(*) FROM {spec.table} WHERE {spec.table}.deleted_at IS NOT NULL "
        f"AND {_row_test(spec)}", (fts.function_argument(words),))
    return int(everywhere) - int(matching)
