"""Import the real Wikipedia twin-town list (26,114 messy pairs) and print the time taken and
how many cities and rows were resolved. Goal: the whole file under 10 s on the office laptop.

    python -m benchmarks.import_pairs [--file PATH] [--db PATH] [--runs 3]

Each run imports into a fresh empty database (valid rows only; the refused rows are listed
by the importer). The gazetteer index is built first if the user cache has none (one-time,
reported separately); a second import of the same file into the same database, which must
create nothing, is timed too.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from citypartner_desktop.interop.importer import import_file
from citypartner_desktop.services import gazetteer
from citypartner_desktop.services.database import open_db

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "twin_cities_wikipedia.csv"


def anchor(path: Path, folder: Path) -> float:
    """The floor: read the file with the csv module and insert its rows as they are into one
    plain SQLite table, one transaction (no decoding checks, matching, resolving or indexes)."""
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    conn = sqlite3.connect(folder / "anchor.db")
    conn.execute("CREATE TABLE pairs (city1 TEXT, country1 TEXT, city2 TEXT, country2 TEXT)")
    with conn:
        conn.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?)", rows)
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    built = not gazetteer.is_ready()
    gazetteer.ensure_index()
    if built:
        print(f"gazetteer index built once in {time.perf_counter() - started:.1f} s")

    times: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        floor = anchor(args.file, Path(folder))
        for run in range(args.runs):
            db = open_db(Path(folder) / f"run{run}.db")
            try:
                started = time.perf_counter()
                _prepared, report = import_file(db, "partnerships", args.file, valid_only=True)
                times.append(time.perf_counter() - started)
                if run == 0:
                    started = time.perf_counter()
                    _again, second = import_file(db, "partnerships", args.file, valid_only=True)
                    again_time = time.perf_counter() - started
            finally:
                db.close()
    linked = report.created["cities"] - len(report.review)
    print(f"file: {args.file.name}, {report.rows_read:,} rows")
    print(f"rows: {report.count('create'):,} partnerships created, {report.count('match'):,} "
          f"already listed (the pair from the other side), {report.count('refuse'):,} refused")
    print(f"cities: {report.created['cities']:,} created, {linked:,} resolved in the world "
          f"gazetteer, {len(report.review):,} unresolved (created, listed for review)")
    median = statistics.median(times)
    print(f"import: median {median:.2f} s of {len(times)} runs "
          f"({', '.join(f'{t:.2f}' for t in times)}); goal < 10 s")
    print(f"anchor (csv.reader + one plain SQLite insert of the raw rows): {floor:.3f} s; "
          f"ratio {median / floor:.0f}x")
    print(f"second import of the same file: {again_time:.2f} s, created "
          f"{second.count('create')} rows")


if __name__ == "__main__":
    main()
