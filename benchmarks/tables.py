"""Speed of the record tables at office scale, against anchors measured in the same run.

    python -m benchmarks.tables --db PATH [--repeat N]

Builds the large demo database at PATH first if it does not exist. Prints one table row per
measure: the app's figure, the anchor's figure, their ratio, the target and PASS/FAIL. Anchors:
Qt's own ``QSqlQueryModel`` on the same SQL the app runs, a plain ``sqlite3`` query of the same
page (the floor), and a bare PySide6 window for start-up. A report, not a test: exit code 0
whatever passes or fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("activity", "contact")
SEARCHES = ("krak", "lodz", "zurich", "anna k")


@dataclass
class Row:
    measure: str
    app_ms: float | None
    anchor_ms: float | None = None
    anchor: str = ""
    target: str = ""
    passed: bool | None = None
    note: str = ""


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def build_if_missing(db: Path) -> float | None:
    if db.exists():
        return None
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citypartner_desktop", "demo", "--db", str(db),
                    "--size", "large"], check=True, cwd=ROOT)
    return time.perf_counter() - started


def startup(db: Path, repeat: int) -> tuple[float, float | None, float | None]:
    """Median ms from process launch to: a bare PySide6 window shown (the floor); the app's
    window shown; the app's first data painted (read from its start-up trace)."""
    floor_script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QMainWindow, QTableView\n"
        "app = QApplication([])\n"
        "w = QMainWindow(); w.menuBar().addMenu('&File'); w.setCentralWidget(QTableView())\n"
        "w.resize(1280, 800); w.show(); app.processEvents()\n"
        "print('citypartner-startup window-shown 0', file=sys.stderr, flush=True)\n"
    )
    scratch = Path(tempfile.mkdtemp())
    env = {**os.environ, "CITYPARTNER_STARTUP_TRACE": "exit",
           **{v: str(scratch / v) for v in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                            "XDG_STATE_HOME")}}

    def launch(command: list[str]) -> dict[str, float]:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        seen: dict[str, float] = {}
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("citypartner-startup "):
                seen[line.split()[1]] = 1000 * (time.perf_counter() - started)
            if "first-data" in seen or (command[1] == "-c" and seen):
                break
        process.kill()
        process.wait()
        return seen

    floors, shown, data = [], [], []
    for _ in range(repeat):
        floors.append(launch([sys.executable, "-c", floor_script])["window-shown"])
        app = launch([sys.executable, "-m", "citypartner_desktop", "--db", str(db)])
        if "window-shown" in app:
            shown.append(app["window-shown"])
        if "first-data" in app:
            data.append(app["first-data"])
    return (statistics.median(floors), statistics.median(shown) if shown else None,
            statistics.median(data) if data else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tables")
    parser.add_argument("--db", type=Path, required=True, help="large demo database (built "
                        "if missing)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args(argv)
    built = build_if_missing(args.db)

    from PySide6 import __version__ as pyside_version
    from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
    from PySide6.QtWidgets import QApplication, QTableView

    from citypartner_desktop.domain.records import ListQuery
    from citypartner_desktop.repositories import records as repo
    from citypartner_desktop.ui.app import make_context
    from citypartner_desktop.ui.table_model import PAGE_SIZE, PagedRecordModel

    qt_app = QApplication.instance() or QApplication([])
    ctx = make_context(args.db)
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"PySide6 {pyside_version}, SQLite {sqlite3.sqlite_version}; db {args.db} "
          f"({args.db.stat().st_size / 2**20:.0f} MB)")
    rows: list[Row] = []
    qdb = QSqlDatabase.addDatabase("QSQLITE", "anchor")
    qdb.setDatabaseName(str(args.db))
    qdb.open()
    raw = sqlite3.connect(args.db)

    def sql_of(kind: str, query: ListQuery) -> str:
        # The very statement the app runs for this page, for the anchors.
        from sqlalchemy.orm import Session

        with Session(ctx.db.engine) as session:
            captured: list[str] = []
            from sqlalchemy import event

            def grab(_c: Any, _cur: Any, statement: str, params: Any, *_a: Any) -> None:
                captured.append(statement if not params else _inline(statement, params))

            event.listen(ctx.db.engine, "before_cursor_execute", grab)
            try:
                repo.list_rows(session, kind, query)
            finally:
                event.remove(ctx.db.engine, "before_cursor_execute", grab)
        return captured[-1]

    for kind in KINDS:
        view = QTableView()
        view.resize(1200, 700)

        def open_page(kind: str = kind, view: QTableView = view) -> None:
            model = PagedRecordModel(ctx, kind)
            view.setModel(model)
            view.show()
            view.viewport().grab()

        app_open = median_ms(open_page, args.repeat)
        # The app's first-page statement without its LIMIT: what QSqlQueryModel would be given.
        first_sql = sql_of(kind, ListQuery(limit=PAGE_SIZE)).split(" LIMIT ")[0]

        def qt_open(view: QTableView = view, sql: str = first_sql) -> None:
            model = QSqlQueryModel()
            model.setQuery(QSqlQuery(sql, qdb))
            view.setModel(model)
            view.viewport().grab()

        qt_open_ms = median_ms(qt_open, args.repeat)
        def floor_page(sql: str = first_sql) -> object:
            return raw.execute(sql + " LIMIT 200").fetchall()

        floor_ms = median_ms(floor_page, args.repeat)
        rows.append(Row(f"{kind}: open page, first rows painted", app_open, qt_open_ms,
                        "QSqlQueryModel", "≤ 50 ms", app_open <= 50,
                        f"sqlite3 page alone {floor_ms:.1f} ms"))

        model = PagedRecordModel(ctx, kind)
        count = model.rowCount()

        def app_jump(model: PagedRecordModel = model, count: int = count) -> None:
            model.refresh()
            model.data(model.index(count - 1, 0))

        def app_middle(model: PagedRecordModel = model, count: int = count) -> None:
            model.refresh()
            model.data(model.index(count // 2, 0))

        jump = median_ms(app_jump, args.repeat)
        middle = median_ms(app_middle, args.repeat)
        before = rss_mb()
        qt_model = QSqlQueryModel()
        started = time.perf_counter()
        qt_model.setQuery(QSqlQuery(first_sql, qdb))
        while qt_model.canFetchMore():
            qt_model.fetchMore()
        qt_model.data(qt_model.index(qt_model.rowCount() - 1, 0))
        qt_jump = 1000 * (time.perf_counter() - started)
        qt_rss = rss_mb() - before
        del qt_model
        rows.append(Row(f"{kind}: jump to last of {count:,} rows", jump, qt_jump,
                        "QSqlQueryModel (fetch all)", "≤ 50 ms", jump <= 50,
                        f"QSqlQueryModel +{qt_rss:.0f} MB RSS"))
        rows.append(Row(f"{kind}: jump to the middle row", middle, None, "", "(no target)", None))

        before = rss_mb()
        scroller = PagedRecordModel(ctx, kind)
        for step in range(200):
            scroller.data(scroller.index(step * (count - 1) // 199, 0))
        rows.append(Row(f"{kind}: RSS growth after 200 jumps", None, None, "", "well < 100 MB",
                        rss_mb() - before < 100, f"{rss_mb() - before:.1f} MB"))

        for text in SEARCHES:
            def app_search(text: str = text, kind: str = kind) -> None:
                searched = PagedRecordModel(ctx, kind)
                searched.set_search(text)
                searched.data(searched.index(0, 0))
                searched.rowCount()

            found_sql = sql_of(kind, ListQuery(search=text, limit=PAGE_SIZE))
            search_ms = median_ms(app_search, args.repeat)
            rows.append(Row(f"{kind}: search {text!r}", search_ms, None, "", "≤ 30 ms",
                            search_ms <= 30, f"{len(found_sql)} chars of SQL"))

        probe = PagedRecordModel(ctx, kind)
        for column, spec in enumerate(probe.columns):
            def app_sort(column: int = column, kind: str = kind) -> None:
                from PySide6.QtCore import Qt

                sorted_model = PagedRecordModel(ctx, kind)
                sorted_model.sort(column, Qt.SortOrder.DescendingOrder)
                sorted_model.data(sorted_model.index(0, 0))

            sort_ms = median_ms(app_sort, max(1, args.repeat // 2))
            rows.append(Row(f"{kind}: sort by {spec.label}", sort_ms, None, "", "≤ 100 ms",
                            sort_ms <= 100))

    floor, shown, data = startup(args.db, args.repeat)
    rows.append(Row("start-up: window shown", shown, floor, "bare PySide6 window", "≤ 1.5×",
                    None if shown is None else shown <= 1.5 * floor))
    rows.append(Row("start-up: first data painted", data, floor, "bare PySide6 window", "≤ 4×",
                    None if data is None else data <= 4 * floor))
    if built is not None:
        rows.append(Row("demo --size large", 1000 * built, None, "", "< 120 s", built < 120))
    _print(rows)
    raw.close()
    qdb.close()
    ctx.db.close()
    del qt_app
    return 0


def _inline(statement: str, params: Any) -> str:
    """Put bound values into the statement for the anchors (numbers and quoted strings)."""
    values = list(params) if isinstance(params, list | tuple) else list(params.values())
    for value in values:
        literal = str(value) if isinstance(value, int | float) else (
            "'" + str(value).replace("'", "''") + "'")
        statement = statement.replace("?", literal, 1)
    return statement


def _print(rows: list[Row]) -> None:
    def fmt(value: float | None) -> str:
        return "—" if value is None else f"{value:,.1f} ms"

    header = f"{'measure':44} {'app':>12} {'anchor':>14} {'ratio':>8}  {'target':14} result"
    print(header)
    print("-" * len(header))
    for row in rows:
        ratio = ("" if row.app_ms is None or not row.anchor_ms
                 else f"{row.app_ms / row.anchor_ms:.3f}×")
        result = {True: "PASS", False: "FAIL", None: ""}[row.passed]
        extra = " ".join(p for p in (row.anchor and f"[{row.anchor}]", row.note) if p)
        print(f"{row.measure:44} {fmt(row.app_ms):>12} {fmt(row.anchor_ms):>14} {ratio:>8}  "
              f"{row.target:14} {result}  {extra}")


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # PySide6 6.12 can abort while the interpreter tears down Qt objects (a refcount bug seen
    # here and in the test suite); the report is printed, so leave without that teardown.
    os._exit(code)
