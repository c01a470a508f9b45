"""Crash safety: kill (SIGKILL) a process at random moments while it edits, imports, backs up
and migrates, and check after every kill that nothing acknowledged was lost.

    python -m benchmarks.crash_safety [--trials 200] [--ops edits,import,backup,migration]

Per trial a child process opens a copy of a prepared database and performs one operation; the
parent kills it at a random moment within the operation's measured duration (plus 10 %, so some
kills land after the end). Then the parent opens the database the way the application does
(the child's lock is stale now and must be taken over) and checks:

- the database opens and SQLite's full integrity_check says ok;
- edits: every save the child acknowledged (logged to a side file, fsync'ed, only after commit
  returned) is there, and each edited field holds its last acknowledged value or a later one;
- import: all of it is there or none of it. There is no import feature yet: the stand-in is the
  demo loader, a bulk insert of ~1,800 records in one service transaction (said in the output);
- backup: every backup the folder lists is complete and passes integrity_check, a half-written
  one is never listed, the source database is unchanged;
- migration: a database at schema 0002 is being upgraded; afterwards it opens at the head revision
  with all its records (or, killed before the upgrade committed, upgrades on this open).

SIGKILL ends the process but not the operating system, so this proves the application's part
(transactions, the order of fsync and rename, the lock) — not the disk's honesty on power loss,
which synchronous=FULL leaves to the hardware.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPERATIONS = ("edits", "import", "backup", "migration")
EDITS_PER_CHILD = 60
MIGRATION_FROM = "0002_fts_search"


# -- the child ------------------------------------------------------------------------------
def _ack(log: Path, line: str) -> None:
    with log.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def child(op: str, db_path: Path, log: Path) -> None:
    from citypartner_desktop.db.uow import Actor
    from citypartner_desktop.services import backups, records
    from citypartner_desktop.services.database import open_db
    from citypartner_desktop.services.demo import load_demo

    actor = Actor("crash-test@child", "00000000-0000-4000-8000-00000000c0de")
    print("ready", flush=True)  # imports done: the measured window starts here
    db = open_db(db_path, actor)
    if op == "edits":
        city = records.list_page(db.uow(), "city", _first_page())[0].id
        for i in range(EDITS_PER_CHILD):
            created = records.create(db.uow(), "contact", {"full_name": f"Acked {i}"})
            _ack(log, f"contact {created.id}")
            records.update(db.uow(), "city", city, {"population": str(1000 + i)})
            _ack(log, f"population {city} {1000 + i}")
    elif op == "import":
        load_demo(db, "small", seed=3)
        _ack(log, "import done")
    elif op == "backup":
        path = backups.backup_now(db.path)
        _ack(log, f"backup {path}")
    elif op == "migration":
        _ack(log, "migrated")  # open_db above did it
    db.close()
    print("done", flush=True)


def _first_page() -> object:
    from citypartner_desktop.domain.records import ListQuery

    return ListQuery(limit=1)


# -- preparing databases --------------------------------------------------------------------
def _actor() -> object:
    from citypartner_desktop.db.uow import Actor

    return Actor("crash-test@parent", "00000000-0000-4000-8000-00000000beef")


def prepare_templates(folder: Path) -> dict[str, Path]:
    """One closed database per operation, copied (a plain copy: nothing has it open) per trial."""
    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.services import records
    from citypartner_desktop.services.database import open_db
    from citypartner_desktop.services.demo import load_demo

    templates: dict[str, Path] = {}
    empty = folder / "empty.db"
    open_db(empty, _actor()).close()  # type: ignore[arg-type]
    templates["import"] = empty
    small = folder / "small.db"
    db = open_db(small, _actor())  # type: ignore[arg-type]
    load_demo(db, "small", seed=1)
    records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
    db.close()
    templates["edits"] = templates["backup"] = small
    # The migration's template: the demo data at schema 0002, made by the real downgrade.
    old = folder / "old.db"
    shutil.copyfile(small, old)
    engine = make_engine(old)
    _downgrade(engine, MIGRATION_FROM)
    engine.dispose()
    templates["migration"] = old
    return templates


def _downgrade(engine: object, revision: str) -> None:
    from alembic import command

    from citypartner_desktop.db.schema import alembic_config

    config = alembic_config()
    with engine.connect() as connection, connection.begin():  # type: ignore[attr-defined]
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _copy_db(template: Path, target: Path) -> None:
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir(parents=True)
    shutil.copyfile(template, target)


# -- checks after a kill --------------------------------------------------------------------
def _table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts%' AND name <> 'alembic_version'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def verify(op: str, db_path: Path, log: Path, expected: dict[str, object]) -> list[str]:
    """Open as the application does; return what is wrong (empty: all good)."""
    from citypartner_desktop.db import damage
    from citypartner_desktop.db.schema import HEAD_REVISION
    from citypartner_desktop.services import backups
    from citypartner_desktop.services.database import open_db

    failures: list[str] = []
    try:
        db = open_db(db_path, _actor())  # type: ignore[arg-type]
    except Exception as exc:  # any refusal after a crash is a failure of this test
        return [f"does not open: {exc}"]
    db.close()
    problems = damage.integrity_problems(db_path)
    if problems:
        failures.append(f"integrity_check: {problems[:3]}")
    acked = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        if revision != HEAD_REVISION:
            failures.append(f"revision {revision} after opening, not {HEAD_REVISION}")
        if op == "edits":
            population: dict[str, int] = {}
            for line in acked:
                kind, *rest = line.split()
                if kind == "contact" and conn.execute(
                        "SELECT count(*) FROM contacts WHERE id = ?", (rest[0],)
                ).fetchone()[0] != 1:
                    failures.append(f"acknowledged contact {rest[0]} lost")
                if kind == "population":
                    population[rest[0]] = int(rest[1])
            for city, value in population.items():
                stored = conn.execute("SELECT population FROM cities WHERE id = ?",
                                      (city,)).fetchone()[0]
                if stored is None or int(stored) < value:
                    failures.append(f"city population {stored}, acknowledged {value}")
        elif op == "import":
            counts = _table_counts(db_path)
            imported = {t: counts.get(t, 0) for t in expected}
            if any(imported.values()) and imported != expected:
                failures.append(f"import half there: {imported}")
            if "import done" in acked and imported != expected:
                failures.append("acknowledged import missing")
        elif op == "backup":
            for entry in backups.list_backups(db_path):
                details = backups.describe(entry.path, thorough=True, entry=entry)
                if not details.usable:
                    failures.append(f"listed backup {entry.path.name} unusable: "
                                    f"{details.problem}")
                elif _table_counts(entry.path) != expected:
                    failures.append(f"backup {entry.path.name} incomplete")
            if _table_counts(db_path) != expected:
                failures.append("source database changed by a backup")
        elif op == "migration":
            counts = _table_counts(db_path)
            if counts.get("cities") != expected["cities"]:
                failures.append(f"{counts.get('cities')} cities after migration, "
                                f"expected {expected['cities']}")
    finally:
        conn.close()
    return failures


# -- the parent -----------------------------------------------------------------------------
@dataclass
class Tally:
    trials: int = 0
    killed_during: int = 0  # the child had not finished when it was killed
    failures: list[str] = field(default_factory=list)


def _spawn(op: str, db_path: Path, log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.crash_safety", "--child", op, str(db_path), str(log)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.kill()
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"child did not start: {line!r} {err}")


def calibrate(op: str, template: Path, work: Path, runs: int = 3) -> float:
    """How long the operation takes from "ready" to exit, uninterrupted (median of ``runs``;
    the first run is often slower, with cold caches)."""
    times = []
    for _ in range(runs):
        db_path = work / "calibrate" / "office.db"
        _copy_db(template, db_path)
        proc = _spawn(op, db_path, work / "calibrate.log")
        _wait_ready(proc)
        started = time.perf_counter()
        _out, err = proc.communicate(timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"{op} child failed: {err}")
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def run(trials: int, ops: tuple[str, ...] = OPERATIONS, seed: int = 1,
        report: Callable[[str], None] = print) -> dict[str, Tally]:
    rng = random.Random(seed)
    results: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory(prefix="crash-safety-") as tmp:
        work = Path(tmp)
        templates = prepare_templates(work)
        small_counts = _table_counts(templates["edits"])
        for op in ops:
            duration = calibrate(op, templates[op], work)
            if op == "import":
                expected: dict[str, object] = {
                    t: n for t, n in _table_counts(work / "calibrate" / "office.db").items()
                    if t in ("cities", "contacts", "partnerships", "activities", "agreements")}
            elif op == "migration":
                expected = {"cities": _table_counts(templates["migration"])["cities"]}
            else:
                expected = dict(small_counts)
            tally = results[op] = Tally()
            for trial in range(trials):
                db_path = work / op / "office.db"
                log = work / f"{op}.log"
                _copy_db(templates[op], db_path)
                log.unlink(missing_ok=True)
                proc = _spawn(op, db_path, log)
                _wait_ready(proc)
                time.sleep(rng.uniform(0, duration * 1.1))
                if proc.poll() is None:
                    tally.killed_during += 1
                proc.send_signal(signal.SIGKILL)
                proc.communicate()
                tally.trials += 1
                for failure in verify(op, db_path, log, expected):
                    tally.failures.append(f"{op} trial {trial}: {failure}")
            report(f"{op:<10} trials {tally.trials:>4}  killed mid-operation "
                   f"{tally.killed_during:>4}  failures {len(tally.failures):>3}  "
                   f"(operation takes {duration:.2f} s)")
            for failure in tally.failures[:10]:
                report(f"    {failure}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200, help="kills per operation")
    parser.add_argument("--ops", default=",".join(OPERATIONS),
                        help=f"comma-separated, of: {', '.join(OPERATIONS)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("OP", "DB", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    if sys.platform == "win32":
        print("needs SIGKILL (Linux or macOS)", file=sys.stderr)
        return 2
    ops = tuple(o.strip() for o in args.ops.split(",") if o.strip())
    unknown = set(ops) - set(OPERATIONS)
    if unknown:
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    print(f"crash safety: {args.trials} SIGKILLs per operation, seed {args.seed}")
    print("import: no import feature yet; stand-in is the demo loader (~1,800 records in one "
          "service transaction)")
    started = time.perf_counter()
    results = run(args.trials, ops, args.seed)
    total = sum(t.trials for t in results.values())
    failed = sum(len(t.failures) for t in results.values())
    print(f"total: {total} trials, {failed} failures, operations covered: {', '.join(ops)} "
          f"({time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
