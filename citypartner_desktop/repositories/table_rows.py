"""The pages of a table (list and count), in plain SQL over any DB-API connection.

Written without SQLAlchemy on purpose: the application paints its first page of data before
the ORM (about half a second of imports) is loaded, through ``db.reader``. Services call the
same functions with the connection of their unit of work, so there is one way to read a page.

Identifiers come from the entity specs, never from what the user typed; values are always
bound parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citypartner_desktop.db import derived, fts
from citypartner_desktop.domain.records import ListQuery, RowData
from citypartner_desktop.domain.specs import EntitySpec, FieldKind, spec_for
from citypartner_desktop.domain.text import fold
from citypartner_desktop.repositories.plain_sql import Connection, as_bool, as_date, as_json

# From this offset on, pages are read in two steps (ids first); below it one query is cheaper.
TWO_STEP_OFFSET = 1000
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


def _where(spec: EntitySpec, query: ListQuery, *, scan: bool = False
           ) -> tuple[list[str], list[Any]]:
    """The filter of a list. ``scan``: the order needs a full sort anyway (a joined column), so
    keep SQLite from walking a partial "live rows" index for the state test and fetching every
    row through it (unary + hides a term from the index chooser): a plain scan is ~5x faster."""
    state = f"+{spec.table}.deleted_at" if scan else f"{spec.table}.deleted_at"
    clauses = [f"{state} IS NOT NULL" if query.deleted else f"{state} IS NULL"]
    params: list[Any] = []
    for name, value in query.filters:
        clauses.append(f"{_column(spec, name)} = ?")
        params.append(value)
    if query.search.strip() and spec.search_fields:
        words = fts.search_words(fold(query.search))
        if not words:  # only punctuation typed: nothing can match
            clauses.append("0")
        else:
            fts_table = fts.fts_name(spec.table)
            clauses.append(f"{spec.table}.rowid IN (SELECT rowid FROM {fts_table} "
                           f"WHERE {fts_table} MATCH ?)")
            params.append(fts.match_query(words))
    return clauses, params


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
    if query.offset >= TWO_STEP_OFFSET and not joined:
        # Deep pages in two steps: first the ids alone, walking an index on the sort column
        # (covering for each page's default order), then just those rows with their joins.
        where, params = _where(spec, query)
        sql = (f"{head} {join_sql} WHERE {spec.table}.id IN (SELECT {spec.table}.id "
               f"FROM {spec.table} WHERE {' AND '.join(where)} {order} LIMIT ? OFFSET ?) "
               f"{order}")
    else:
        where, params = _where(spec, query, scan=joined)
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
    where, params = _where(spec, query)
    for (counted,) in connection.execute(
            f"SELECT count(*) FROM {spec.table} WHERE {' AND '.join(where)}", params):
        return int(counted)
    return 0
