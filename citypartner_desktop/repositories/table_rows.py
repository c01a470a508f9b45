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
from dataclasses import dataclass
from typing import Any

from citypartner_desktop.db import derived, fts
from citypartner_desktop.domain.records import ListQuery, RowData
from citypartner_desktop.domain.specs import EntitySpec, FieldKind, spec_for
from citypartner_desktop.domain.text import fold
from citypartner_desktop.repositories.plain_sql import Connection, as_bool, as_date, as_json

# From this offset on, pages are read in two steps (ids first); below it one query is cheaper.
TWO_STEP_OFFSET = 1000
# Below this many matches a search is never walked testing each row (see ``_walk_plan``).
DENSE_MIN_MATCHES = 2_000
# A test walk stops after this many times the rows it should take if the matches were spread
# evenly (see ``_walk_plan``).
WALK_SLACK = 4
# From this share of the table on (1 in 6), the matches are found sooner by probing every rowid
# of the sort index than by reading them all (see ``_walk_plan``).
BROAD_SHARE = 6
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


@dataclass(frozen=True)
class Walk:
    """How a search's page is found by walking the sort order instead of sorting every match:
    ``test`` each row with ``fts.MATCH_FUNCTION``, or ``probe`` the rowids of the sort index in
    the list of matches. At most ``cap`` rows are walked; when fewer than a page of matches
    lie among them (the matches bunch up further along), the page is read the index way."""

    how: str  # TEST or PROBE
    cap: int
    complete: bool  # the cap covers the whole table: what the walk finds is the answer


TEST, PROBE = "test", "probe"


def _walk_plan(connection: Connection, spec: EntitySpec, query: ListQuery,
               words: list[str] | None) -> Walk | None:
    """Whether, and how, a search of the live rows walks the sort order (None: the index way,
    every match read and sorted). Reading a match costs 1.5–3 µs ("w" matches half of
    1,000,000 activities: 1.5 s), testing a walked row up to 10 µs, probing a walked rowid in
    the list of matches under 1 µs (after 0.3 µs a match to make that list). If the matches
    were spread evenly, a page at ``offset`` is found after walking (offset + page) x rows /
    matches rows, so with S = (offset + page) x rows: from 3 sqrt(S) matches on the test walk
    is the cheapest, from sqrt(S) on the probe walk, and so is a probe walk of the whole
    table when a sixth of it matches (a deep page of a broad search). The matches rarely are
    spread evenly ("ka" finds the Kaminskis together), hence the slack in those bounds and
    the cap. Only without filters (their rows are few) and for the live rows. Counting the
    matches stops at the first bound."""
    if not words or query.deleted or query.filters or not connection.search.walks:
        return None
    counts = _table_counts(connection, spec)
    if counts is None:
        return None
    live = counts[0]
    span = (query.offset + max(query.limit, 1)) * live
    root = math.isqrt(span)
    test_from = max(DENSE_MIN_MATCHES, 3 * root)
    matches = _matches_up_to(connection, spec, words, test_from)
    if matches >= test_from:
        cap = WALK_SLACK * -(-span // matches)
        return Walk(TEST, cap, cap >= live)
    if matches * BROAD_SHARE >= live:
        # Walking the whole sort index costs less than reading every match: no cap needed.
        return Walk(PROBE, live, True)
    if matches >= root:
        # A failed probe walk costs about half of reading every match.
        return Walk(PROBE, matches, matches >= live)
    return None


def _matches_up_to(connection: Connection, spec: EntitySpec, words: list[str],
                   most: int) -> int:
    """Rows of the full-text index (deleted ones too) matching the words, counted up to
    ``most``: the cost grows with the count, so a bound keeps a broad search cheap."""
    [(matches,)] = connection.execute(*connection.search.count_up_to(spec.table, words, most))
    return int(matches)


def _where(connection: Connection, spec: EntitySpec, query: ListQuery, *,
           scan: bool = False, walk: bool = False) -> tuple[list[str], list[Any]]:
    """The filter of a list. ``scan``: the order needs a full sort anyway (a joined column), so
    keep SQLite from walking a partial "live rows" index for the state test and fetching every
    row through it (unary + hides a term from the index chooser): a plain scan is ~5x faster.
    ``walk``: hide the search from the index chooser too, so that SQLite walks the sort index
    and tests each row against the matches (gathered once per statement) instead of reading
    every match and sorting them all (``list_rows_after``)."""
    state = f"{connection.search.unindexed if scan else ''}{spec.table}.deleted_at"
    clauses = [f"{state} IS NOT NULL" if query.deleted else f"{state} IS NULL"]
    params: list[Any] = []
    for name, value in query.filters:
        clauses.append(f"{_column(spec, name)} = ?")
        params.append(value)
    words = _search_words(spec, query)
    if words is not None:
        if not words:  # only punctuation typed: nothing can match
            clauses.append("1 = 0")
        else:
            matching, arguments = connection.search.matching(spec.table, words)
            clauses.append(f"{connection.search.unindexed}{matching}" if walk else matching)
            params.extend(arguments)
    return clauses, params


def _row_test(spec: EntitySpec, alias: str | None = None) -> str:
    columns = ", ".join(f"{alias or spec.table}.{c}" for c in fts.indexed_columns(spec.table))
    return f"{fts.MATCH_FUNCTION}(?, {columns})"


def _walk_sql(spec: EntitySpec, walk: Walk, words: list[str],
              order: str) -> tuple[str, list[Any]]:
    """The rowids of a page found by walking at most ``walk.cap`` live rows in ``order``.
    SQLite reads the capped walk as a co-routine, in order, so the page's LIMIT and OFFSET
    count matches in the sort order."""
    table = spec.table
    indexed = fts.indexed_columns(table)
    if walk.how == TEST:
        columns = "".join(f", {table}.{c}" for c in indexed)
        # A row without the search's longest token anywhere cannot match: instr() says so
        # without calling into Python (4 of 5 rows walked for "wo").
        token = max((t for w in words for t in fts.tokens(w)), key=len)
        present = " OR ".join(f"instr(walked.{c}, ?) > 0" for c in indexed)
        test = f"({present}) AND {_row_test(spec, 'walked')}"
        arguments = [token] * len(indexed) + [fts.function_argument(words)]
    else:  # the walk reads only the sort index, which holds the rowids
        columns = ""
        fts_table = fts.fts_name(table)
        test = f"walked.rowid_ IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)"
        arguments = [fts.match_query(words)]
    sql = (f"SELECT walked.rowid_ FROM (SELECT {table}.rowid AS rowid_{columns} FROM {table} "
           f"WHERE {table}.deleted_at IS NULL {order} LIMIT ?) AS walked WHERE {test} "
           f"LIMIT ? OFFSET ?")
    return sql, [walk.cap, *arguments]


def _sort_of(spec: EntitySpec, query: ListQuery, fields: tuple[str, ...],
             selected: list[str]) -> tuple[str, bool]:
    """The list's sort expression, and whether it is a joined record's label (no index)."""
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
    return sort_sql, joined


def list_rows(connection: Connection, kind: str, query: ListQuery) -> list[RowData]:
    spec = spec_for(kind)
    fields = query.columns or spec.list_fields
    head, joins, selected = _select(spec, fields)
    sort_sql, joined = _sort_of(spec, query, fields, selected)
    direction = "DESC" if query.descending else "ASC"
    nulls = connection.search.nulls(query.descending)
    order = f"ORDER BY {sort_sql} {direction}{nulls}, {spec.table}.id {direction}"  # stable
    join_sql = " ".join(joins)
    words = _search_words(spec, query)
    walk = None if joined else _walk_plan(connection, spec, query, words)
    if walk is not None and words:
        walked, params = _walk_sql(spec, walk, words, order)
        rows = _read(connection, spec, fields,
                     f"{head} {join_sql} WHERE {spec.table}.rowid IN ({walked}) {order}",
                     [*params, query.limit, query.offset])
        if len(rows) == query.limit or walk.complete:
            return rows
        # Too few matches among the rows walked: they lie further along, read them all.
    if (query.offset >= TWO_STEP_OFFSET or words) and not joined:
        # Deep pages in two steps: first the ids alone, walking an index on the sort column
        # (covering for each page's default order), then just those rows with their joins.
        # Searches too: their matches are sorted before the page is cut, and the joins of
        # 10,000 matches cost as much as finding them.
        where, params = _where(connection, spec, query)
        sql = (f"{head} {join_sql} WHERE {spec.table}.id IN (SELECT {spec.table}.id "
               f"FROM {spec.table} WHERE {' AND '.join(where)} {order} LIMIT ? OFFSET ?) "
               f"{order}")
    else:
        where, params = _where(connection, spec, query, scan=joined)
        sql = f"{head} {join_sql} WHERE {' AND '.join(where)} {order} LIMIT ? OFFSET ?"
    return _read(connection, spec, fields, sql, [*params, query.limit, query.offset])


def _read(connection: Connection, spec: EntitySpec, fields: tuple[str, ...], sql: str,
          params: list[Any]) -> list[RowData]:
    converters = [_CONVERT.get(spec.field(name).kind) for name in fields]
    rows = []
    for row in connection.execute(sql, params):
        values = tuple(v if convert is None else convert(v)
                       for convert, v in zip(converters, row[2:], strict=True))
        rows.append(RowData(row[0], row[1], values))
    return rows


# Where a keyset page starts: the sort value of the row before it (as stored) and its id.
Keyset = tuple[Any, str]


@dataclass(frozen=True)
class KeysetPage:
    """Rows of a list after a keyset, and the keyset of the next page (None: none follows).
    With ``ref_ids``, each row's values end with the ids its reference fields hold, in the
    order of those fields."""

    rows: list[RowData]
    after: Keyset | None


def _keyset_segments(sort_sql: str, id_sql: str, after: Keyset | None,
                     descending: bool) -> list[tuple[str, list[Any]]]:
    """The conditions of the rows after ``after`` in the list's order, as segments read one
    after the other. Empty sort values come first going up and last going down (SQLite's
    order, and PostgreSQL's by ``SearchSql.nulls``); a row value comparison such as
    ``(start_date, id) > (?, ?)`` never holds for them, so they are a segment of their own,
    walked by id, where the same index serves (``sort IS NULL AND id > ?``). Each segment is
    a range of the sort index: no OR that would make the engines scan instead."""
    if after is None:
        return [("", [])]
    value, last_id = after
    if not descending:
        if value is None:
            return [(f"{sort_sql} IS NULL AND {id_sql} > ?", [last_id]),
                    (f"{sort_sql} IS NOT NULL", [])]
        return [(f"({sort_sql}, {id_sql}) > (?, ?)", [value, last_id])]
    if value is None:
        return [(f"{sort_sql} IS NULL AND {id_sql} < ?", [last_id])]
    return [(f"({sort_sql}, {id_sql}) < (?, ?)", [value, last_id]), (f"{sort_sql} IS NULL", [])]


def _walks_sort_index(connection: Connection, spec: EntitySpec, query: ListQuery,
                      limit: int) -> bool:
    """Whether the keyset pages of a search of the live rows walk the sort index, testing each
    row against the matches, rather than read every match after the keyset and sort them, as
    SQLite's planner prefers. Over the whole list, with M matches among N live rows and pages
    of L: reading the matches costs ~M x M / L x 2 µs, walking N x 0.3 µs plus gathering the
    matches again for each page, M x M / L x 0.2 µs: walk from M = sqrt(N x L / 6) on
    (58,000 of 1,000,000 rows with pages of 20,000; a search of 474,000 matches took 24 s the
    one way and 6 s the other). Counting the matches stops at that bound."""
    words = _search_words(spec, query)
    if not words or query.deleted or query.filters or not connection.search.walks:
        return False
    counts = _table_counts(connection, spec)
    if counts is None:
        return False
    bound = max(limit, math.isqrt(counts[0] * limit // 6))
    return _matches_up_to(connection, spec, words, bound) >= bound


def list_rows_after(connection: Connection, kind: str, query: ListQuery,
                    after: Keyset | None = None, limit: int = 1000, *,
                    ref_ids: bool = False, only_ids: bool = False) -> KeysetPage:
    """The ``limit`` rows of a list (its search, filters and sort; ``query.offset`` and
    ``query.limit`` do not apply) that follow the row of ``after``, or its first rows: the
    rows ``list_rows`` gives at the same place, in the same order, but found by a range of
    the sort index (sort value and id after the last row's) instead of counting past every
    earlier row (OFFSET), so the thousandth page costs what the first does. An export walks
    a list this way (``services.records.iter_list``).

    ``ref_ids``: each row's values end with the ids its reference fields hold. ``only_ids``:
    the rows hold their id alone (version 0, no values), for a caller that reads each page's
    values itself; the walk then reads the sort index alone where there is one (a million
    rows in 0.7 s instead of 6.5 s)."""
    spec = spec_for(kind)
    fields = query.columns or spec.list_fields
    _head, joins, selected = _select(spec, fields)
    sort_sql, joined = _sort_of(spec, query, fields, selected)
    table = spec.table
    if only_ids:
        fields, selected = (), [f"{table}.id", "0"]
        joins = joins if joined else []
    refs = [f"{table}.{name}" for name in fields
            if ref_ids and spec.field(name).kind is FieldKind.REF]
    direction = "DESC" if query.descending else "ASC"
    order = (f"ORDER BY {sort_sql} {direction}{connection.search.nulls(query.descending)}, "
             f"{table}.id {direction}")
    where, params = _where(connection, spec, query, scan=joined,
                           walk=not joined and _walks_sort_index(connection, spec, query, limit))
    head = f"SELECT {', '.join([*selected, *refs, sort_sql])} FROM {table} {' '.join(joins)}"
    converters = [_CONVERT.get(spec.field(name).kind) for name in fields]
    width = len(fields)
    rows: list[RowData] = []
    key: Keyset | None = None
    for condition, arguments in _keyset_segments(sort_sql, f"{table}.id", after,
                                                 query.descending):
        clauses = [*where, condition] if condition else where
        found = connection.execute(f"{head} WHERE {' AND '.join(clauses)} {order} LIMIT ?",
                                   [*params, *arguments, limit - len(rows)])
        for row in found:
            values = tuple(v if convert is None else convert(v)
                           for convert, v in zip(converters, row[2:2 + width], strict=True))
            rows.append(RowData(row[0], row[1], values + tuple(row[2 + width:-1])))
        if found:
            key = (found[-1][-1], found[-1][0])
        if len(rows) == limit:
            return KeysetPage(rows, key)
    return KeysetPage(rows, None)


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
    where, params = _where(connection, spec, query)
    for (counted,) in connection.execute(
            f"SELECT count(*) FROM {spec.table} WHERE {' AND '.join(where)}", params):
        return int(counted)
    return 0


def count_if_few(connection: Connection, kind: str, query: ListQuery, most: int) -> int | None:
    """The count of a search of the live rows if its matches are fewer than ``most`` (then
    it costs under a millisecond), else None: too many to count while the user waits. Any
    other list (filtered, or of the deleted rows: few rows) is counted."""
    spec = spec_for(kind)
    words = _search_words(spec, query)
    if (words and not query.filters and not query.deleted
            and _matches_up_to(connection, spec, words, most) >= most):
        return None
    return count_rows(connection, kind, query)


def _search_count(connection: Connection, spec: EntitySpec, words: list[str]) -> int | None:
    """Live rows matching a search: every match in the full-text index (which holds the
    deleted rows too), less the deleted rows that match, found through their index and tested
    one by one. Reading each match's row to ask whether it is deleted costs ~1 µs a match
    (0.4 s for "w" over 1,000,000 activities); this, 20 ms. None when too many rows are
    deleted for that."""
    if not connection.search.counts_cheaply:
        return None
    counts = _table_counts(connection, spec)
    if counts is None or counts[1] > FEW_DELETED:
        return None
    deleted = counts[1]
    [(everywhere,)] = connection.execute(*connection.search.count_all(spec.table, words))
    if not deleted:
        return int(everywhere)
    [(matching,)] = connection.execute(
        f"SELECT count(*) FROM {spec.table} WHERE {spec.table}.deleted_at IS NOT NULL "
        f"AND {_row_test(spec)}", (fts.function_argument(words),))
    return int(everywhere) - int(matching)
