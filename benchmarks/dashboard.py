"""The dashboard's queries on the large demo database, each timed (first run and median),
and the whole load beside an anchor from the same run: SQLite reading every activity once
(what a dashboard without the right indexes would do).

    python -m benchmarks.dashboard --db PATH [--runs N]

Use a copy of the large demo database upgraded to this build's schema:
    cp /tmp/large7.db /tmp/dash.db && citypartner init --db /tmp/dash.db
Every query of more than 100 ms runs off the GUI thread anyway (the page loads through
ui/workers.py); the figures show which those are.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from datetime import date
from pathlib import Path

from citypartner_desktop.services import monitoring, reminders
from citypartner_desktop.services.database import open_db

GUI_BUDGET_MS = 100.0


def naive_scan_ms(db_path: Path) -> float:
    """The anchor: one pass over every live activity's partnership and date (what a GROUP BY
    without the indexes would have to read)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        started = time.perf_counter()
        conn.execute("SELECT partnership_id, max(start_date + 0), count(*) FROM activities "
                     "NOT INDEXED WHERE deleted_at IS NULL GROUP BY partnership_id").fetchall()
        elapsed = 1000 * (time.perf_counter() - started)
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    db = open_db(args.db)
    try:
        sections: dict[str, list[float]] = {}
        totals: dict[str, list[float]] = {"dashboard (figures and lists)": [], "charts": [],
                                          "reminders on start": []}
        for _ in range(args.runs):
            started = time.perf_counter()
            board = monitoring.dashboard(db.uow(), args.today)
            totals["dashboard (figures and lists)"].append(
                1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            charts = monitoring.charts(db.uow(), args.today)
            totals["charts"].append(1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            due = reminders.due_reminders(db.uow(), args.today)
            totals["reminders on start"].append(1000 * (time.perf_counter() - started))
            for name, ms in {**board.timings_ms, **charts.timings_ms}.items():
                sections.setdefault(name, []).append(ms)
    finally:
        db.close()
    anchor = naive_scan_ms(args.db)
    print(f"Dashboard on {args.db} as of {args.today} ({args.runs} runs; first = cold cache)")
    print(f"  {len(board.active):,} active partnerships, {board.expiring_total:,} agreements "
          f"to decide on, {board.overdue_actions:,} overdue and {board.upcoming_actions:,} "
          f"upcoming actions, {len(board.evaluations_due):,} evaluations due, "
          f"{len(board.needs_review):,} to review; {due.total:,} reminders")
    print(f"{'query':<32}{'first ms':>10}{'median ms':>11}  off GUI thread needed")
    for name, values in [*sections.items(), *totals.items()]:
        median = statistics.median(values)
        flag = "yes (> 100 ms)" if max(values) > GUI_BUDGET_MS else "no"
        print(f"{name:<32}{values[0]:>10.1f}{median:>11.1f}  {flag}")
    whole = statistics.median(totals["dashboard (figures and lists)"])
    print(f"anchor: one scan of all activities {anchor:.1f} ms; "
          f"dashboard / anchor = {whole / anchor:.2f}")


if __name__ == "__main__":
    main()
