"""Streamed exports of a million activities: the seconds and peak memory of each format beside
an anchor from the same run, and a broad search's export walked by keyset pages beside the
OFFSET pages it replaces. Targets (issue "Files as other programs really write them"): each
of .ics, CSV and .xlsx of 1,000,000 activities in at most 60 s with at most 300 MB of peak
memory; a broad search walks the sort index (keyset), not OFFSET pages.

    python -m benchmarks.export_stream [--rows 1000000] [--folder DIR] [--formats ics,csv,xlsx]
                                       [--search WORD] [--no-offset]

1. Builds a database of ``--rows`` activities (with 2,000 cities and 600 partnerships) in a
   temporary folder, or in DIR where it is kept and used again by the next run of as many
   rows: created by the real migrations, then filled by plain INSERTs through
   ``repositories.bulk`` (the demo loader's way: indexes, search tables and triggers
   suspended, built once at the end), ~40 s for a million. About 47% of the titles hold the
   word "forum" (the broad search); a third of the places, participant counts and costs are
   empty, the end dates of most, so sorts meet empty values and duplicates.
2. Each export runs as ``citypartner export activities --db … -o FILE`` does it, in a child
   process of its own, measured by a child of the benchmark that starts it and reads its
   peak resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of its only child: the
   whole process, the interpreter and its imports included) and wall time.
3. Anchor: the same rows (the page's columns: the city and partnership as their labels, the
   page's order) written by ``csv.writer`` straight from a ``sqlite3`` cursor, in a child of
   its own: what a hand-written export costs. Ratio = export / anchor.
4. The broad search ("forum"): its CSV export through the command line (keyset pages), and
   the rows of the same list read by OFFSET pages of ``records.EXPORT_PAGE`` (what
   ``records.iter_list`` did before), each in a child.

A report, not a test: exit code 0 whatever the figures; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 60.0
TARGET_MB = 300.0
MB = 2**20
CITIES = 2_000
PARTNERSHIPS = 600
BROAD_WORD = "forum"
BROAD_SHARE = 0.474  # of the titles: 474,000 of a million
CHILD_TIMEOUT_S = 1800
FORMATS = ("ics", "csv", "xlsx")

PLACES = ("Kraków", "Łódź", "Київ", "Αθήνα", "São Paulo", "京都市", "Lyon", "Zürich", "İzmir",
          "Reykjavík", "Göteborg", "Málaga", "Plzeň", "Tbilisi", "Vilnius", "Durrës")
COUNTRIES = ("PL", "PL", "UA", "GR", "BR", "JP", "FR", "CH", "TR", "IS", "SE", "ES", "CZ",
             "GE", "LT", "AL")
KINDS = ("meeting", "visit", "call", "email", "event", "exchange", "project")
TOPICS = ("youth exchange", "climate plan", "culture week", "trade mission", "school twinning",
          "mobility study", "heritage project", "digital services", "sports tournament")
SUMMARIES = ("Agreed on the next steps; minutes sent to all members.",
             "Delegation of 12 — mayor, two councillors, «youth council»; costs shared 50/50.",
             "Follow-up: draft the memorandum; Θεσσαλονίκη asked to join.")


# -- the database ---------------------------------------------------------------------------------
def build(path: Path, rows: int, seed: int = 1) -> float:
    """Seconds taken to create ``path`` with ``rows`` activities (see the module docstring)."""
    from citypartner_desktop.db.base import new_id, utcnow
    from citypartner_desktop.domain.text import search_key
    from citypartner_desktop.repositories import bulk
    from citypartner_desktop.services.database import open_db

    started = time.perf_counter()
    rng = random.Random(seed)
    r = rng.random
    db = open_db(path)
    try:
        with db.uow() as uow:
            uow.writes_first()
            session = uow.session
            now = utcnow()
            with bulk.large_page_cache(session, 256), bulk.indexes_suspended(session):
                cities = bulk.RowWriter(session, "cities", (
                    "id", "name", "country", "population", "is_home", "search_key"), now)
                city_rows = []
                for i in range(CITIES):
                    name = f"{PLACES[i % len(PLACES)]} {i // len(PLACES) + 1}"
                    city_rows.append((new_id(), name, COUNTRIES[i % len(COUNTRIES)],
                                      None if i % 3 == 0 else 1000 + 37 * i, False,
                                      search_key(name)))
                cities.write(city_rows)
                city_ids = [c[0] for c in city_rows]
                labels = [f"{c[1]} ({c[2]})" for c in city_rows]
                partnerships = bulk.RowWriter(session, "partnerships", (
                    "id", "title", "kind", "status", "themes", "evaluation_cadence_months",
                    "search_key"), now)
                partnership_rows: list[tuple[Any, ...]] = []
                for i in range(PARTNERSHIPS):
                    title = f"{labels[i % CITIES]} – {labels[(7 * i + 3) % CITIES]}"
                    partnership_rows.append((new_id(), title, "twinning", "active", [], 12,
                                             search_key(title)))
                partnerships.write(partnership_rows)
                partnership_ids = [p[0] for p in partnership_rows]
                activities = bulk.RowWriter(session, "activities", (
                    "id", "partnership_id", "kind", "title", "start_date", "end_date",
                    "city_id", "participant_count", "cost", "currency", "summary",
                    "search_key"), now)
                first = date(2000, 1, 1)
                days = [first + timedelta(days=d) for d in range(9_700)]
                keys: dict[str, str] = {}
                batch = []
                for i in range(rows):
                    city = int(r() * CITIES)
                    word = "Forum on" if r() < BROAD_SHARE else "Talks on"
                    title = f"{word} {TOPICS[int(r() * len(TOPICS))]}, {city_rows[city][1]}"
                    start = int(r() * len(days))
                    summary = SUMMARIES[i % 3] if r() < 0.3 else None
                    cost = None if r() < 0.35 else round(50 + r() * 5000, 2)
                    key = title if summary is None else f"{title}\x00{summary}"
                    folded = keys.get(key)
                    if folded is None:
                        folded = keys[key] = search_key(title, summary)
                    batch.append((
                        new_id(), partnership_ids[int(r() * PARTNERSHIPS)],
                        KINDS[int(r() * len(KINDS))], title, days[start],
                        days[min(start + int(r() * 4), len(days) - 1)] if r() < 0.4 else None,
                        None if r() < 0.3 else city_ids[city],
                        None if r() < 0.3 else int(r() * 200), cost,
                        None if cost is None else "EUR", summary, folded))
                    if len(batch) == 50_000:
                        activities.write(batch)
                        batch = []
                activities.write(batch)
            uow.commit()
        with db.uow() as uow:
            bulk.checkpoint(uow.session)
    finally:
        db.close()
    return time.perf_counter() - started


def database(folder: Path, rows: int) -> Path:
    """The benchmark's database of ``rows`` activities in ``folder``, built if missing."""
    path = folder / f"export_stream_{rows}.db"
    if not path.exists():
        print(f"building {path} with {rows:,} activities …", flush=True)
        partial = path.with_suffix(".partial.db")
        for leftover in folder.glob(f"{partial.name}*"):
            leftover.unlink()
        seconds = build(partial, rows)
        if Path(f"{partial}-wal").exists():
            raise SystemExit(f"{partial} still has its write-ahead log; not renamed")
        partial.rename(path)
        Path(f"{partial}.lock").unlink(missing_ok=True)
        print(f"  built in {seconds:.1f} s ({path.stat().st_size / MB:,.0f} MB)", flush=True)
    return path


# -- the children ---------------------------------------------------------------------------------
# Runs the command given after it as its only child and prints that child's wall time and peak
# resident memory as JSON (ru_maxrss: kilobytes on Linux, bytes on macOS).
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / (2**20 if sys.platform == "darwin"
                                                          else 1024), "code": done.returncode}))
"""


def measure(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of ``command`` run as a process of its own."""
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=ROOT,
                            capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, check=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if found["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {found['code']}:\n"
                         f"{result.stderr[-2000:]}")
    return float(found["seconds"]), float(found["peak_mb"])


def export_command(db: Path, out: Path, search: str | None = None) -> list[str]:
    """``citypartner export activities`` as a user runs it."""
    return [sys.executable, "-m", "citypartner_desktop", "export", "activities", "--db",
            str(db), "-o", str(out), *(("--search", search) if search else ())]


ANCHOR_SQL = (
    "SELECT a.start_date, a.kind, a.title, p.title, c.name || ' (' || c.country || ')', "
    "a.participant_count FROM activities AS a "
    "JOIN partnerships AS p ON p.id = a.partnership_id "
    "LEFT JOIN cities AS c ON c.id = a.city_id "
    "WHERE a.deleted_at IS NULL ORDER BY a.start_date, a.id")


def anchor(db: Path, out: Path) -> None:
    """The anchor (in its child): the page's rows in its order, by one hand-written query,
    straight from the sqlite3 cursor into csv.writer."""
    import csv
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["Start", "Kind", "Title", "Partnership", "Place",
                         "Participants (count)"])
        writer.writerows(connection.execute(ANCHOR_SQL))
    connection.close()


def walk(db: Path, how: str, search: str) -> None:
    """(In its child) every row of the activities' list searched for ``search``: by keyset
    pages (``records.iter_list``), or by the OFFSET pages ``records.iter_list`` read before
    (``table_rows.list_rows`` at offset 0, 20,000, 40,000, … of one read transaction)."""
    from dataclasses import replace

    from citypartner_desktop.domain.records import ListQuery
    from citypartner_desktop.repositories import table_rows
    from citypartner_desktop.services import records
    from citypartner_desktop.services.database import open_store

    store = open_store(db, read_only_ok=True)
    query = ListQuery(search=search)
    count = 0
    try:
        if how == "keyset":
            for _row in records.iter_list(store.uow(), "activity", query):
                count += 1
        else:
            with store.uow() as uow:
                offset = 0
                while True:
                    page = table_rows.list_rows(uow, "activity", replace(
                        query, offset=offset, limit=records.EXPORT_PAGE))
                    count += len(page)
                    if len(page) < records.EXPORT_PAGE:
                        break
                    offset += len(page)
    finally:
        store.close()
    print(count)


def _child(args: argparse.Namespace) -> None:
    if args.child == "anchor":
        anchor(Path(args.db), Path(args.out))
    else:
        walk(Path(args.db), args.child, args.search)


# -- the report -----------------------------------------------------------------------------------
def _verdict(seconds: float, peak: float) -> str:
    missed = [what for what, bad in (("time", seconds > TARGET_S), ("memory", peak > TARGET_MB))
              if bad]
    return "met" if not missed else "MISSED (" + ", ".join(missed) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, help="keep the database here (reused)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--search", default=BROAD_WORD, help="the broad search's word")
    parser.add_argument("--no-offset", action="store_true",
                        help="skip the OFFSET pages (minutes at a million rows)")
    parser.add_argument("--child", choices=("anchor", "keyset", "offset"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if args.rows < 1 or any(f not in FORMATS for f in formats):
        parser.error(f"--rows must be positive; --formats takes {', '.join(FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="export_stream_") as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        db = database(folder, args.rows)
        out = Path(scratch)
        me = [sys.executable, "-m", "benchmarks.export_stream", "--db", str(db)]
        anchor_s, anchor_mb = measure([*me, "--child", "anchor", "--out", str(out / "a.csv")])
        print(f"Exports of {args.rows:,} activities ({db}, {db.stat().st_size / MB:,.0f} MB); "
              f"targets: at most {TARGET_S:.0f} s and {TARGET_MB:.0f} MB each")
        print(f"anchor: csv.writer from a sqlite3 cursor (the page's rows and order): "
              f"{anchor_s:.1f} s, {anchor_mb:.0f} MB peak, "
              f"{(out / 'a.csv').stat().st_size / MB:,.0f} MB written")
        print(f"{'format':<8}{'seconds':>9}{'peak MB':>9}{'file MB':>9}{'/ anchor':>10}  target")
        for fmt in formats:
            target = out / f"activities.{fmt}"
            seconds, peak = measure(export_command(db, target))
            print(f"{fmt:<8}{seconds:>9.1f}{peak:>9.0f}{target.stat().st_size / MB:>9.0f}"
                  f"{seconds / anchor_s:>9.1f}x  {_verdict(seconds, peak)}", flush=True)
            target.unlink()
        print(f'Broad search "{args.search}":')
        searched = out / "searched.csv"
        seconds, peak = measure(export_command(db, searched, args.search))
        with searched.open(encoding="utf-8-sig") as handle:
            matches = sum(1 for _line in handle) - 1  # no line breaks in these rows
        print(f"  CSV export of its {matches:,} rows (command line): {seconds:.1f} s, "
              f"{peak:.0f} MB peak")
        keyset_s, _ = measure([*me, "--child", "keyset", "--search", args.search])
        print(f"  its rows by keyset pages (records.iter_list): {keyset_s:.1f} s")
        if not args.no_offset:
            offset_s, _ = measure([*me, "--child", "offset", "--search", args.search])
            print(f"  its rows by OFFSET pages (as iter_list read them before): "
                  f"{offset_s:.1f} s; keyset / OFFSET = {keyset_s / offset_s:.2f}")


if __name__ == "__main__":
    main()
