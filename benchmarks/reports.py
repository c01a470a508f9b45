"""Reports against their floor: the portfolio report and the dossier of the busiest
partnership, and a plain ReportLab document with the same number of pages and table rows,
made in the same run.

    python -m benchmarks.reports --db PATH [--year N]

Use a copy of the large demo database (closing it may refresh SQLite's statistics).
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

from citypartner_desktop.reports import fonts
from citypartner_desktop.reports.make import (
    BODY_WIDTH,
    ReportRequest,
    _compose,
    _gather,
    make_report,
)
from citypartner_desktop.services.database import open_db

GOAL = 2.0


def busiest_partnership(db_path: Path) -> str:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT partnership_id FROM activities WHERE deleted_at IS NULL "
                           "GROUP BY partnership_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    conn.close()
    return str(row[0])


def table_rows(story: list[Any]) -> tuple[int, int]:
    """(tables, rows) in a story, header rows included."""
    tables = [f for f in story if isinstance(f, Table)]
    return len(tables), sum(len(t._cellvalues) for t in tables)


def floor(path: Path, pages: int, rows: int) -> None:
    """A plain document: one 5-column table of short strings, header repeated, padded with
    page breaks to the same page count."""
    fonts.register()
    data = [["Date", "Kind", "Title", "Place", "Count"]]
    data += [[f"2025-01-{i % 28 + 1:02d}", "Meeting", f"Plain row number {i}", "Nuremberg",
              str(i)] for i in range(rows - 1)]
    table = Table(data, repeatRows=1, colWidths=[BODY_WIDTH / 5] * 5)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.SANS, 8.5)]))
    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1)
    story: list[Any] = [table]
    doc.build(story)
    made = len(PdfReader(path).pages)
    if made < pages:
        story = [table] + [PageBreak()] * (pages - made)
        SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)


def timed(work: Callable[[], object], runs: int = 3) -> float:
    """The best of ``runs`` runs (after the first, which also warms SQLite's cache)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(work: Callable[[], object]) -> float:
    tracemalloc.start()
    work()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def measure(name: str, db: Any, request: ReportRequest, out: Path, today: date) -> None:
    target, floor_path = out / "report.pdf", out / "floor.pdf"
    make = partial(make_report, db.uow, request, target, generated=today)
    first = timed(make, runs=1)
    seconds = timed(make)
    pages = len(PdfReader(target).pages)
    _info, story = _compose(request.report, _gather(db.uow, request, today), "Office", today)
    _tables, rows = table_rows(story)
    floor_s = timed(partial(floor, floor_path, pages, rows))
    peak = peak_mib(make)  # a second run, traced: tracing slows it down
    ratio = seconds / floor_s
    flag = "" if ratio <= GOAL else f"  (goal ≤ {GOAL:.0f}×)"
    print(f"{name:<20}{pages:>6}{rows:>7}{first:>8.2f}{seconds:>8.2f}{floor_s:>8.2f}"
          f"{ratio:>6.1f}×{peak:>10.1f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--year", type=int, default=date.today().year - 1)
    args = parser.parse_args()
    db = open_db(args.db)
    out = Path(tempfile.mkdtemp(prefix="cp-bench-"))
    fonts.register()
    requests = {
        f"portfolio {args.year}": ReportRequest("portfolio", year=args.year),
        "dossier (busiest)": ReportRequest("partnership", busiest_partnership(args.db)),
    }
    today = date.today()
    # first: the first run (cold SQLite cache); report and floor: the best of three runs;
    # ratio = report / floor; peak: Python heap (tracemalloc) while making the report.
    print(f"{'report':<20}{'pages':>6}{'rows':>7}{'first s':>8}{'report':>8}{'floor':>8}"
          f"{'ratio':>7}{'peak MiB':>10}")
    for name, request in requests.items():
        measure(name, db, request, out, today)
    db.close()


if __name__ == "__main__":
    main()
