"""Speed of visit packs at office scale, against anchors measured in the same run.

    python -m benchmarks.visit_packs [--size large|small] [--db PATH] [--repeat N]
                                     [--merge-rows 10000]

Builds the demo database of ``--size`` (default large: 10,000 cities, 200,000 contacts,
2,000 partnerships, 1,000,000 activities; the build is timed) in a temporary folder, or uses
``--db PATH`` (built there when missing, kept), then measures:

1. ``pack create`` for one partnership (the one with the most activities: the worst case);
   anchor: a plain ``sqlite3`` copy of the very same rows into a new file (``CREATE TABLE …
   AS SELECT``), the floor of reading and writing them. Target ≤ 2 s.
2. ``pack create --all``; anchor: ``citypartner backup`` (``backups.backup_now``: SQLite's
   backup API copying the whole file). Target ≤ 60 s.
3. ``pack merge`` of a pack in which ``--merge-rows`` records were changed or added (every
   activity and contact of the one-partnership pack changed, new activities up to the count),
   into a copy of the office: ``analyse`` plus ``apply`` as ``pack merge`` runs them (the
   backup before the merge starts beside the analysis; ``apply`` waits for it, then writes
   everything in one transaction through the record service, with history); anchor:
   the same rows written with plain ``sqlite3`` (an UPDATE per changed row, an INSERT … SELECT
   of the new ones, one transaction). Target ≤ 10 s.

Before each measured step the disk is let finish what the step before wrote (``os.sync``:
the 2 GB of ``--all`` would otherwise still be going out during the merge). Each figure is the
median of ``--repeat`` runs (``--all`` and the merge: one run; a merge
cannot be repeated on the same copy). A report, not a test: exit code 0 whatever passes or
fails; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pack_merge_crash import isolated  # noqa: E402
from citypartner_desktop.db.database import Database  # noqa: E402
from citypartner_desktop.db.uow import Actor  # noqa: E402
from citypartner_desktop.domain.records import ListQuery  # noqa: E402
from citypartner_desktop.repositories import archive  # noqa: E402
from citypartner_desktop.services import backups, records  # noqa: E402
from citypartner_desktop.services.database import open_db  # noqa: E402
from citypartner_desktop.services.demo import load_demo  # noqa: E402
from citypartner_desktop.services.visit_packs import merge  # noqa: E402
from citypartner_desktop.services.visit_packs.create import create  # noqa: E402
from citypartner_desktop.services.visit_packs.scope import Scope, select  # noqa: E402

OFFICE_ACTOR = Actor("office@desk", "00000000-0000-4000-8000-00000000beef")
VISIT_ACTOR = Actor("visitor@laptop", "00000000-0000-4000-8000-0000000b1517")
TARGET_ONE_S = 2.0
TARGET_ALL_S = 60.0
TARGET_MERGE_S = 10.0
T = TypeVar("T")


# -- report (as benchmarks/tables.py prints it) -----------------------------------------------
@dataclass
class Row:
    measure: str
    app: float | None  # seconds
    anchor: float | None = None
    target: float | None = None
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.app is None or self.target is None:
            return None
        return self.app <= self.target


def _s(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def print_table(rows: list[Row], out: Callable[[str], None] = print) -> None:
    out(f"{'measure':<44} {'app':>10} {'anchor':>10} {'ratio':>8}  {'target':<8} "
        f"{'result':<6} notes")
    out("-" * 120)
    for row in rows:
        ratio = f"{row.app / row.anchor:.3g}x" if row.app is not None and row.anchor else ""
        result = {True: "PASS", False: "FAIL", None: ""}[row.passed]
        target = f"≤ {row.target:g} s" if row.target is not None else ""
        out(f"{row.measure:<44} {_s(row.app):>10} {_s(row.anchor):>10} {ratio:>8}  "
            f"{target:<8} {result:<6} {row.note}")


def settle() -> None:
    """Let the disk finish writing what an earlier step left behind."""
    if hasattr(os, "sync"):
        os.sync()


def timed(action: Callable[[], T]) -> tuple[float, T]:
    settle()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def median_time(action: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(action)[0] for _ in range(max(1, repeat)))


# -- the office -------------------------------------------------------------------------------
def build_office(path: Path, size: str) -> float | None:
    """The demo database at ``path`` (built when missing: the seconds it took; else None)."""
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_db(path, OFFICE_ACTOR)
    try:
        seconds, _summary = timed(lambda: load_demo(db, size, seed=1))  # type: ignore[arg-type]
    finally:
        db.close()
    return seconds


def busiest_partnership(path: Path) -> tuple[str, str, int]:
    """(id, title, live activities) of the partnership with the most activities."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = conn.execute(
            "SELECT p.id, p.title, count(*) FROM activities a JOIN partnerships p "
            "ON p.id = a.partnership_id WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL "
            "GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1").fetchone()
    finally:
        conn.close()
    return str(found[0]), str(found[1]), int(found[2])


# -- anchors ----------------------------------------------------------------------------------
def plain_copy(office: Path, selection: dict[str, set[str]], target: Path) -> None:
    """The same rows as a pack takes, copied with plain SQL into a new file."""
    for leftover in (target, target.with_name(target.name + "-journal")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    try:
        conn.execute("ATTACH DATABASE ? AS office", (f"{office.resolve().as_uri()}?mode=ro",))
        conn.execute("CREATE TEMP TABLE wanted (id TEXT PRIMARY KEY)")
        for table, ids in selection.items():
            conn.execute("DELETE FROM wanted")
            conn.executemany("INSERT INTO wanted VALUES (?)", ((i,) for i in ids))
            conn.execute(f'CREATE TABLE main."{table}" AS SELECT * FROM office."{table}" '
                         "WHERE id IN (SELECT id FROM temp.wanted)")
        conn.commit()
    finally:
        conn.close()


def plain_write(office: Path, pack: Path, updated: dict[str, list[str]],
                created: dict[str, list[str]]) -> None:
    """The merge's rows written with plain SQL in one transaction: each changed row updated
    from the pack's, the new ones inserted (the office's triggers run; no history, no
    validation, no backup)."""
    conn = sqlite3.connect(office)
    try:
        conn.execute("ATTACH DATABASE ? AS pack", (f"{pack.resolve().as_uri()}?mode=ro",))
        conn.execute("BEGIN IMMEDIATE")
        for table in archive.tables():
            columns = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')
                       if r[1] != "id"]
            assign = ", ".join(f'"{c}" = ?' for c in columns)
            listed = ", ".join(f'"{c}"' for c in columns)
            for record_id in updated.get(table, ()):
                values = conn.execute(f'SELECT {listed} FROM pack."{table}" WHERE id = ?',
                                      (record_id,)).fetchone()
                conn.execute(f'UPDATE main."{table}" SET {assign} WHERE id = ?',
                             (*values, record_id))
            new = created.get(table, [])
            for start in range(0, len(new), 900):
                chunk = new[start:start + 900]
                conn.execute(f'INSERT INTO main."{table}" (id, {listed}) SELECT id, {listed} '
                             f'FROM pack."{table}" WHERE id IN ({", ".join("?" * len(chunk))})',
                             chunk)
        conn.commit()
    finally:
        conn.close()


# -- the merge's pack ---------------------------------------------------------------------------
def _ids(db: Database, kind: str) -> list[str]:
    return [row.id for row in records.iter_list(db.uow(), kind, ListQuery(sort_field="title"
                                                                            if kind != "contact"
                                                                            else "full_name"))]


def edit_pack(pack_path: Path, rows: int) -> dict[str, int]:
    """A visit's work: every activity and contact of the pack changed, new activities until
    ``rows`` records are changed or new."""
    pack = open_db(pack_path, VISIT_ACTOR)
    try:
        activities = _ids(pack, "activity")
        contacts = _ids(pack, "contact")
        partnerships = _ids(pack, "partnership")
        cities = [row.id for row in records.iter_list(pack.uow(), "city",
                                                      ListQuery(sort_field="name"))]
        changed_activities = activities[:rows]
        changed_contacts = contacts[:max(0, rows - len(changed_activities))]
        new = max(0, rows - len(changed_activities) - len(changed_contacts))
        day = date(2025, 5, 1)
        with pack.uow() as uow:
            for n, record_id in enumerate(changed_activities):
                records.update_in(uow, "activity", record_id, {
                    "title": f"Visit follow-up {n}", "summary": f"Notes from the visit, {n}"})
            for n, record_id in enumerate(changed_contacts):
                records.update_in(uow, "contact", record_id, {"notes": f"Met on the visit {n}"})
            for n in range(new):
                records.create_in(uow, "activity", {
                    "partnership_id": partnerships[n % len(partnerships)], "kind": "meeting",
                    "title": f"Meeting on the visit {n}", "start_date": day + timedelta(n % 300),
                    "city_id": cities[n % len(cities)], "summary": f"Agreed next steps {n}"})
            uow.commit()
    finally:
        pack.close()
    return {"changed activities": len(changed_activities),
            "changed contacts": len(changed_contacts), "new activities": new}


# -- the run ------------------------------------------------------------------------------------
def run(size: str, db_path: Path | None, repeat: int, merge_rows: int,
        out: Callable[[str], None] = print) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="visit-packs-bench-") as tmp:
        work = Path(tmp)
        office_path = db_path or work / "office.db"
        with isolated(work / "home"):
            out(f"office: {office_path}")
            built = build_office(office_path, size)
            if built is not None:
                rows.append(Row(f"demo --size {size} build (load_demo)", built,
                                note="one transaction; not a pack figure"))
            out(f"office file: {office_path.stat().st_size / 1e6:,.0f} MB")
            pid, title, activities = busiest_partnership(office_path)
            opened, office = timed(lambda: open_db(office_path, OFFICE_ACTOR))
            rows.append(Row("open the office (open_db, checks)", opened))
            try:
                rows.extend(_measure(office, office_path, work, pid, title, activities,
                                     repeat, merge_rows, out))
            finally:
                office.close()
    print_table(rows, out)
    return rows


def _measure(office: Database, office_path: Path, work: Path, pid: str, title: str,
             activities: int, repeat: int, merge_rows: int, out: Callable[[str], None]
             ) -> list[Row]:
    rows: list[Row] = []
    one = work / "one.cpack"
    scope = Scope(partnerships=(pid,))
    made: list[Any] = []
    app = median_time(lambda: made.append(create(office, scope, one)), repeat)
    with office.uow() as uow:
        selection = select(uow, scope, date.today())
    anchor = median_time(lambda: plain_copy(office_path, selection, work / "plain.db"), repeat)
    rows.append(Row("pack create, one partnership", app, anchor, TARGET_ONE_S,
                    f"“{title}” ({activities:,} activities, the recent ones packed): "
                    f"{made[-1].records:,} records, {one.stat().st_size / 1e6:,.1f} MB; anchor: "
                    "plain sqlite3 copy of the same rows"))
    out(f"one partnership: {made[-1].records:,} records in {made[-1].seconds:.2f} s")

    every = work / "all.cpack"
    app, made_all = timed(lambda: create(office, Scope(everything=True), every))
    merge_office = work / "merge" / "office.db"
    anchor, _ = timed(lambda: backups.backup_now(office_path, merge_office))
    rows.append(Row("pack create --all", app, anchor, TARGET_ALL_S,
                    f"{made_all.records:,} records, {every.stat().st_size / 1e6:,.0f} MB; "
                    "anchor: citypartner backup (backup_now) of the office"))
    every.unlink()
    out(f"--all: {made_all.records:,} records in {made_all.seconds:.1f} s")

    pack = work / "merge" / "visit.cpack"
    shutil.copyfile(one, pack)
    edited = edit_pack(pack, merge_rows)
    out("merge pack: " + ", ".join(f"{k} {v:,}" for k, v in edited.items()))
    plain_office = work / "plain" / "office.db"
    backup_again, _ = timed(lambda: backups.backup_now(office_path, plain_office))
    rows.append(Row("backup_now of the office (again)", backup_again,
                    note="what apply copies first (backup_before)"))

    opened, (merged_into, visit) = timed(lambda: (open_db(merge_office, OFFICE_ACTOR),
                                                  merge.open_pack(pack)))
    try:
        settle()  # once: the backup started by analyse runs on while apply is timed
        started = time.perf_counter()
        analysis = merge.analyse(merged_into, visit, back_up=True)
        analysed = time.perf_counter() - started
        result = merge.apply(merged_into, analysis)
        applied = time.perf_counter() - started - analysed
    finally:
        merged_into.close()
        visit.close()
    summary = analysis.summary()
    updated: dict[str, list[str]] = {}
    for table, record_id in analysis.plan.updates:
        updated.setdefault(table, []).append(record_id)
    created: dict[str, list[str]] = {}
    for table, record_id in analysis.plan.creates:
        created.setdefault(table, []).append(record_id)
    anchor, _ = timed(lambda: plain_write(plain_office, pack, updated, created))
    rows.append(Row(f"pack merge, {merge_rows:,} changed/new rows", analysed + applied, anchor,
                    TARGET_MERGE_S,
                    f"{summary['updated']:,} updated, {summary['new']:,} new, "
                    f"{summary['history']:,} history entries, {len(result.refused)} refused; "
                    "anchor: the same rows by plain sqlite3, one transaction"))
    rows.append(Row("  of which analyse", analysed))
    rows.append(Row("  of which apply (backup + one transaction)", applied))
    rows.append(Row("  opening office + pack (not counted)", opened))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--size", choices=("small", "large"), default="large")
    parser.add_argument("--db", type=Path, help="the office file (built there if missing, "
                                                "kept); default: a temporary one")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cheap figure")
    parser.add_argument("--merge-rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.merge_rows < 1 or args.repeat < 1:
        parser.error("--merge-rows and --repeat must be positive")
    print(f"visit packs, demo {args.size}; Python {platform.python_version()}, SQLite "
          f"{sqlite3.sqlite_version}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    run(args.size, args.db, args.repeat, args.merge_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
