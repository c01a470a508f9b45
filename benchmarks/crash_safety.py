"""Crash safety: kill (SIGKILL) real processes at random moments while they edit, import, load
the demo, back up, restore, migrate and merge a visit pack, and check after every kill that
nothing acknowledged was lost, nothing was left half done and nothing was left lying around.

    python -m benchmarks.crash_safety [--trials 200] [--ops edits,import,demo,backup,restore,
                                                           migration,merge] [--seed 1]

Per trial a child process (``python -m benchmarks.crash_safety --child ...``) gets a fresh copy
of a prepared folder (the database, and what the operation reads), does its imports, then on
the parent's "go" performs one operation the way the application does; the parent kills it at
a random moment within the operation's measured duration (plus 10 %, so some kills land after
the end). The next trial's child is started while this one is checked. Operations:

- edits: 60 contacts created and 60 updates of a city, through the services, each save logged
  (fsync'ed) only after its commit returned;
- import: ``citypartner import contacts FILE`` of 3,000 contacts in 60 cities (new cities
  among them) into the small demo: one transaction after a safety backup;
- demo: ``citypartner demo --size small`` into an empty database;
- backup: ``citypartner backup`` into the rotated backups folder;
- restore: ``citypartner restore`` of a backup (the small demo) over a database that has more;
- migration: a database at schema 0002 opened (and so upgraded, after a backup; a killed
  upgrade is finished by the next open, so only "after" is right);
- merge: a visit pack merged into the office (``benchmarks.pack_merge_crash``: its
  preparation, kills and checks, with the leftover-file check of this script added).

After each kill the parent opens the database the way the application does (``open_db``: the
child's stale lock must be taken over, the next start's clean-up runs) and counts:

- integrity failures: it does not open, ``integrity_check`` or ``foreign_key_check`` find
  something, or a backup the folder lists is not usable;
- lost/partial: edits: acknowledged saves missing (each counted); import, demo, restore,
  migration, merge: a database that is neither as before the operation nor as after it
  (counts and schema; for restore and merge the contents), or as before although the child
  had said it was done; backup: a listed backup that is not the whole database, or a changed
  source (trials counted);
- leftover files (after that open): anything in the database's folder, its backups or
  recovery folder that was not there before and is neither the database nor a backup the
  application lists (with its ``.verified`` mark): ``*.part`` temporary files, ``-journal``,
  ``-wal``, ``-shm``, ``.lock``. The open is taken to be the next start an hour later: what
  the kill left is dated back first, because the application may rightly spare a young
  temporary file (it can be a backup another process is still writing);
- other: the schema revision is not the head after opening, the child failed by itself,
  merging the pack again after the kill went wrong, or the merge changed the pack.

Exit code 0 when every count but trials and kills is 0, else 1.

SIGKILL ends the process but not the operating system, so this proves the application's part
(transactions, the order of fsync and rename, the lock, cleaning up) — not the disk's honesty
on power loss, which synchronous=FULL leaves to the hardware.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pack_merge_crash  # noqa: E402
from benchmarks.pack_merge_crash import (  # noqa: E402
    home_env,
    isolated,
    make_home,
    start_child,
    wait_for_go,
)
from citypartner_desktop.db.uow import Actor  # noqa: E402

OPERATIONS = ("edits", "import", "demo", "backup", "restore", "migration", "merge")
EDITS_PER_CHILD = 60
IMPORT_CONTACTS = 3_000
MIGRATION_FROM = "0002_fts_search"
DB_NAME = "office.db"
CSV_NAME = "contacts.csv"
RESTORE_FROM = "backups/office-manual-20260101T000000Z.db"  # a name the app lists as a backup
CHILD_ACTOR = Actor("crash-test@child", "00000000-0000-4000-8000-00000000c0de")
PARENT_ACTOR = Actor("crash-test@parent", "00000000-0000-4000-8000-00000000beef")
State = dict[str, Any]  # what "before" and "after" an operation are compared by
VERIFIED = ".verified"  # beside a backup the application checked when it made it
# The next start is taken to come an hour after the kill (the files the kill left are dated
# back): the application may rightly spare a young temporary file, which can be a backup that
# another process (`citypartner backup` beside the open app) is still writing.
NEXT_START_AFTER_S = 3600
PROGRESS_EVERY = 50  # trials between progress lines


# -- the child ------------------------------------------------------------------------------
def _ack(log: Path, line: str) -> None:
    with log.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _command(op: str, folder: Path) -> list[str]:
    """The command line each operation runs, as office IT would type it."""
    db = str(folder / DB_NAME)
    return {
        "import": ["import", "contacts", str(folder / CSV_NAME), "--db", db],
        "demo": ["demo", "--db", db, "--size", "small", "--seed", "3"],
        "backup": ["backup", "--db", db],
        "restore": ["restore", str(folder / RESTORE_FROM), "--db", db],
    }[op]


def _edits(db_path: Path, log: Path) -> None:
    from citypartner_desktop.domain.records import ListQuery
    from citypartner_desktop.services import records
    from citypartner_desktop.services.database import open_db

    db = open_db(db_path, CHILD_ACTOR)
    city = records.list_page(db.uow(), "city", ListQuery(limit=1))[0].id
    for i in range(EDITS_PER_CHILD):
        created = records.create(db.uow(), "contact", {"full_name": f"Acked {i}"})
        _ack(log, f"contact {created.id}")
        records.update(db.uow(), "city", city, {"population": str(1000 + i)})
        _ack(log, f"population {city} {1000 + i}")
    db.close()


# Imported before the "go", so that the kills land in the work rather than in the imports.
_PRELOAD = ("alembic.command", "citypartner_desktop.cli", "citypartner_desktop.db.schema",
            "citypartner_desktop.interop.importer", "citypartner_desktop.interop.mapping",
            "citypartner_desktop.services.backups", "citypartner_desktop.services.database",
            "citypartner_desktop.services.demo", "citypartner_desktop.services.records")


def child(op: str, folder: Path, log: Path) -> int:
    for module in _PRELOAD:
        importlib.import_module(module)
    from citypartner_desktop import cli
    from citypartner_desktop.services.database import open_db

    wait_for_go()  # the measured window starts with the parent's "go"
    if op == "edits":
        _edits(folder / DB_NAME, log)
    elif op == "migration":
        open_db(folder / DB_NAME, CHILD_ACTOR).close()  # opening upgrades
    else:
        code = cli.main(_command(op, folder))
        if code != 0:
            return code
    _ack(log, "done")
    return 0


# -- preparing the folders ------------------------------------------------------------------
def _open_close(db_path: Path) -> None:
    from citypartner_desktop.services.database import open_db

    open_db(db_path, PARENT_ACTOR).close()


def _small_demo(path: Path) -> None:
    from citypartner_desktop.services import records
    from citypartner_desktop.services.database import open_db
    from citypartner_desktop.services.demo import load_demo

    db = open_db(path, PARENT_ACTOR)
    try:
        load_demo(db, "small", seed=1)
        records.create(db.uow(), "city", {"name": "Łódź", "country": "PL"})
    finally:
        db.close()


def _grow(path: Path) -> None:
    """What the office did after its backup (the restore must take all of it away)."""
    from citypartner_desktop.services import records
    from citypartner_desktop.services.database import open_db

    db = open_db(path, PARENT_ACTOR)
    try:
        for n in range(20):
            records.create(db.uow(), "contact", {"full_name": f"After the backup {n}"})
    finally:
        db.close()


def _downgrade(db_path: Path, revision: str) -> None:
    from alembic import command

    from citypartner_desktop.db.engine import make_engine
    from citypartner_desktop.db.schema import alembic_config

    engine = make_engine(db_path)
    try:
        config = alembic_config()
        with engine.connect() as connection, connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


# Partner cities of the import: real places (looked up in the gazetteer, some already in the
# office) and two that no gazetteer knows (created for a person to review).
IMPORT_CITIES = (
    ("Łódź", "PL"), ("Kraków", "PL"), ("Gdańsk", "PL"), ("Київ", "UA"), ("Львів", "UA"),
    ("Αθήνα", "GR"), ("São Paulo", "BR"), ("Tampere", "FI"), ("Göteborg", "SE"),
    ("Nantes", "FR"), ("Brno", "CZ"), ("Kaunas", "LT"), ("Zaragoza", "ES"), ("Porto", "PT"),
    ("Graz", "AT"), ("Ljubljana", "SI"), ("Tartu", "EE"), ("Kyoto", "JP"),
    ("Nowa Wieś Próbna", "PL"), ("Old Testbury", "GB"),
)


def _write_contacts_csv(path: Path, office: Path) -> None:
    """IMPORT_CONTACTS new contacts, in the office's own cities and in IMPORT_CITIES."""
    conn = _connect(office)
    try:
        cities = [*conn.execute("SELECT name, country FROM cities WHERE deleted_at IS NULL "
                                "AND country IS NOT NULL ORDER BY name LIMIT 40"),
                  *IMPORT_CITIES]
    finally:
        conn.close()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "email", "position", "city", "country"])
        for n in range(IMPORT_CONTACTS):
            name, country = cities[n % len(cities)]
            writer.writerow([f"Zofia Wąs-{n:04d}", f"contact.{n}@example.org",
                             "Project officer", name, country])


def prepare(work: Path, ops: tuple[str, ...]) -> dict[str, Path]:
    """One closed folder per operation, copied whole per trial."""
    small = work / "small.db"
    _small_demo(small)
    folders: dict[str, Path] = {}
    for op in ops:
        if op == "merge":
            continue  # pack_merge_crash prepares its own
        folder = folders[op] = work / "templates" / op
        folder.mkdir(parents=True)
        db_path = folder / DB_NAME
        if op == "demo":
            _open_close(db_path)
            continue
        shutil.copyfile(small, db_path)
        if op == "import":
            _write_contacts_csv(folder / CSV_NAME, small)
        elif op == "restore":
            from citypartner_desktop.db.backup import backup_to

            backup_to(small, folder / RESTORE_FROM)  # as the app writes one (no WAL)
            _grow(db_path)
        elif op == "migration":
            _downgrade(db_path, MIGRATION_FROM)
    if "import" in ops:
        from citypartner_desktop.services import gazetteer

        gazetteer.ensure_index()  # once, in the isolated home the children share (~10 s)
    return folders


# -- what a database holds ------------------------------------------------------------------
def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table (search tables, SQLite's own and the revision left out)."""
    conn = _connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts%' AND name <> 'alembic_version'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def _schema(path: Path) -> str:
    """A digest of the tables, indexes and triggers (a half-done migration or a demo load
    killed with its indexes dropped would show here)."""
    conn = _connect(path)
    try:
        rows = conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master "
                            "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def state(op: str, path: Path) -> State:
    """What before and after are compared by: counts (ids and times differ from run to run)
    or, for a restore, the contents."""
    if op == "restore":
        contents: State = dict(pack_merge_crash.fingerprint(path))
    else:
        contents = dict(table_counts(path))
    return {**contents, "(schema)": _schema(path)}


# -- checks after a kill --------------------------------------------------------------------
@dataclass
class Findings:
    """What one trial's check found wrong, by kind."""

    integrity: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # acknowledged saves lost; partial results
    leftovers: list[str] = field(default_factory=list)  # file paths, relative to the folder
    other: list[str] = field(default_factory=list)
    state: str | None = None  # "before" or "after" the operation, when it was either


@dataclass(frozen=True)
class Expected:
    files: frozenset[str]  # the trial folder's files before the child ran (relative paths)
    before: State | None = None  # the database before and after the operation (not edits)
    after: State | None = None


_DAMAGE = ("office does not open", "integrity_check", "foreign_key_check")


def folder_files(folder: Path) -> frozenset[str]:
    return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def leftovers(db_path: Path, files: frozenset[str]) -> list[str]:
    """Files beside the database, in its backups or recovery folder, that were not there
    before and are neither the database nor a backup the application lists."""
    from citypartner_desktop.services import backups

    folder = db_path.parent
    listed = {e.path.relative_to(folder).as_posix() for e in backups.list_backups(db_path)}
    allowed = files | listed | {f"{name}{VERIFIED}" for name in listed} | {db_path.name}
    return sorted(name for name in folder_files(folder) if name not in allowed)


def date_back(folder: Path, files: frozenset[str]) -> None:
    """Date what the kill left NEXT_START_AFTER_S back: the next start comes later."""
    moment = time.time() - NEXT_START_AFTER_S
    for name in folder_files(folder) - files:
        os.utime(folder / name, (moment, moment))


def backup_problems(db_path: Path) -> list[str]:
    """Every backup the application lists must be whole and usable (thorough check)."""
    from citypartner_desktop.services import backups

    found = []
    for entry in backups.list_backups(db_path):
        details = backups.describe(entry.path, thorough=True, entry=entry)
        if not details.usable:
            found.append(f"listed backup {entry.path.name} unusable: {details.problem}")
    return found


def _reopen(db_path: Path) -> str | None:
    """Open and close as the application does; why not, if it cannot."""
    try:
        _open_close(db_path)
    except Exception as exc:  # any refusal after a kill is a failure of the operation
        return f"office does not open: {type(exc).__name__}: {exc}"
    return None


def _common(db_path: Path, expected: Expected, findings: Findings) -> bool:
    """Open, then the checks every operation shares; False when it did not open."""
    from citypartner_desktop.db.schema import HEAD_REVISION

    date_back(db_path.parent, expected.files)
    refused = _reopen(db_path)
    if refused:
        findings.integrity.append(refused)
        return False
    # Scanned first: the read-only connections of the checks below make -wal/-shm files.
    findings.leftovers.extend(leftovers(db_path, expected.files))
    findings.integrity.extend(pack_merge_crash.database_problems(db_path))
    findings.integrity.extend(backup_problems(db_path))
    conn = _connect(db_path)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()
    if revision != HEAD_REVISION:
        findings.other.append(f"revision {revision} after opening, not {HEAD_REVISION}")
    return True


def _lost_edits(db_path: Path, acked: list[str]) -> list[str]:
    lost: list[str] = []
    population: dict[str, int] = {}
    conn = _connect(db_path)
    try:
        for line in acked:
            kind, *rest = line.split()
            if kind == "contact" and conn.execute(
                    "SELECT count(*) FROM contacts WHERE id = ?", (rest[0],)).fetchone()[0] != 1:
                lost.append(f"acknowledged contact {rest[0]} lost")
            elif kind == "population":
                population[rest[0]] = int(rest[1])
        for city, value in population.items():
            stored = conn.execute("SELECT population FROM cities WHERE id = ?",
                                  (city,)).fetchone()[0]
            if stored is None or int(stored) < value:
                lost.append(f"city population {stored}, acknowledged {value}")
    finally:
        conn.close()
    return lost


def _partial(op: str, db_path: Path, expected: Expected, done: bool, findings: Findings
             ) -> None:
    """Before or after, nothing in between; after, if the child said it was done."""
    assert expected.before is not None and expected.after is not None
    now = state(op, db_path)
    if now == expected.after:
        findings.state = "after"
    elif now == expected.before:
        findings.state = "before"
        if done:
            findings.lost.append(f"the {op} was acknowledged, but the database is as before")
    else:
        changed = sorted(k for k in now if now[k] != expected.after.get(k))
        findings.lost.append(f"neither before nor after the {op}: differs from after in "
                             f"{', '.join(changed[:6])}")


def _backup_copies(db_path: Path, expected: Expected, done: bool) -> list[str]:
    """A backup: every listed copy is the whole database (and one is there once the child
    said so); the source is unchanged."""
    from citypartner_desktop.services import backups

    assert expected.before is not None
    listed = backups.list_backups(db_path)
    wrong = [f"backup {e.path.name} is not the whole database" for e in listed
             if state("backup", e.path) != expected.before]
    if done and not listed:
        wrong.append("the backup was acknowledged, but none is listed")
    if state("backup", db_path) != expected.before:
        wrong.append("the source database was changed by a backup")
    return wrong


def verify(op: str, folder: Path, log: Path, expected: Expected) -> Findings:
    """Open as the application does; return what is wrong (all lists empty: all good)."""
    db_path = folder / DB_NAME
    findings = Findings()
    if not _common(db_path, expected, findings):
        return findings
    acked = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    if op == "edits":
        findings.lost.extend(_lost_edits(db_path, acked))
    elif op == "backup":
        findings.lost.extend(_backup_copies(db_path, expected, "done" in acked))
    elif expected.before is not None:
        _partial(op, db_path, expected, "done" in acked, findings)
    return findings


# -- the parent: one operation's trials -----------------------------------------------------
@dataclass
class Tally:
    trials: int = 0
    killed_during: int = 0  # the child had not finished when it was killed
    integrity: int = 0  # trials with an integrity failure
    lost: int = 0  # edits: lost acknowledged saves; else trials with a partial result
    leftovers: Counter[str] = field(default_factory=Counter)  # file pattern -> files
    other: int = 0  # trials
    states: Counter[str] = field(default_factory=Counter)  # found as "before" / "after"
    seconds: float = 0.0  # the uninterrupted operation, "go" to exit (median)
    failures: list[str] = field(default_factory=list)  # every finding, with its trial

    @property
    def leftover_files(self) -> int:
        return sum(self.leftovers.values())

    @property
    def failed(self) -> bool:
        return bool(self.integrity or self.lost or self.leftovers or self.other)

    def add(self, trial: int, killed_during: bool, findings: Findings) -> None:
        self.trials += 1
        self.killed_during += killed_during
        self.integrity += bool(findings.integrity)
        self.lost += len(findings.lost)
        self.other += bool(findings.other)
        if findings.state:
            self.states[findings.state] += 1
        self.leftovers.update(_pattern(name) for name in findings.leftovers)
        for kind in ("integrity", "lost", "leftovers", "other"):
            self.failures.extend(f"trial {trial}: {kind}: {text}"
                                 for text in getattr(findings, kind))


def _pattern(name: str) -> str:
    """A leftover file's name without its time stamp and random part, to count alike ones."""
    name = re.sub(r"\d{8}T\d{0,6}Z?(-\d+)?", "<time>", name)  # whole or cut short
    return re.sub(r"\.[0-9a-f]{8}\.part", ".<random>.part", name)


@dataclass(frozen=True)
class _Child:
    proc: subprocess.Popen[str]
    folder: Path
    log: Path


def _launch(op: str, template: Path, folder: Path, home: Path) -> _Child:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(template, folder)
    log, err = folder.with_suffix(".log"), folder.with_suffix(".err")
    log.unlink(missing_ok=True)
    env = {**os.environ, **home_env(home)}
    env.pop("CITYPARTNER_DB", None)
    with err.open("w", encoding="utf-8") as stderr:  # a file: a full pipe would block it
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.crash_safety", "--child", op, str(folder),
             str(log)], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=stderr, text=True)
    return _Child(proc, folder, log)


def _ended_badly(child: _Child) -> str | None:
    """The child's own failure (not the kill's), with the end of what it said."""
    code = child.proc.returncode
    if code in (0, -signal.SIGKILL):
        return None
    said = child.folder.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
    return f"the child failed by itself (exit {code}): {said.strip()[-300:]}"


def calibrate(op: str, template: Path, work: Path, home: Path, runs: int
              ) -> tuple[float, State | None]:
    """How long the operation takes from "go" to exit, uninterrupted (median of ``runs``; the
    first is often slower, with cold caches), and the state it leaves (opened once)."""
    times: list[float] = []
    db_path = work / "calibrate" / op / DB_NAME
    for _ in range(runs):
        one = _launch(op, template, db_path.parent, home)
        start_child(one.proc)
        started = time.perf_counter()
        one.proc.communicate(timeout=600)
        times.append(time.perf_counter() - started)
        failed = _ended_badly(one) or (None if one.proc.returncode == 0 else "killed")
        if failed:
            raise RuntimeError(f"{op}: the uninterrupted run failed: {failed}")
    if op == "edits":
        return statistics.median(times), None
    _open_close(db_path)
    return statistics.median(times), state(op, db_path)


def _expected(op: str, template: Path, after: State | None) -> Expected:
    files = folder_files(template)
    if op == "edits":
        return Expected(files)
    before: State | None = state(op, template / DB_NAME)
    if op == "migration":  # a killed upgrade is finished by the next open: always "after"
        before = after
    if op == "backup":
        after = before
    if before == after and op not in ("migration", "backup"):
        raise RuntimeError(f"{op} changes nothing: no test")
    return Expected(files, before, after)


def _kill(child: _Child, seconds: float, rng: random.Random) -> bool:
    """Let the child go, kill it a random moment later; True if it had not finished."""
    start_child(child.proc)
    time.sleep(rng.uniform(0, seconds * 1.1))
    during = child.proc.poll() is None
    child.proc.send_signal(signal.SIGKILL)
    child.proc.communicate()
    return during


def _progress(report: Callable[[str], None], op: str, tally: Tally) -> None:
    if tally.trials % PROGRESS_EVERY == 0:
        report(f"    {op}: {tally.trials} trials, {len(tally.failures)} findings so far")


def _child_trials(op: str, template: Path, work: Path, home: Path, trials: int,
                  rng: random.Random, runs: int, report: Callable[[str], None]) -> Tally:
    seconds, after = calibrate(op, template, work, home, runs)
    expected = _expected(op, template, after)
    tally = Tally(seconds=seconds)
    # The next trial's child does its imports while this one's database is checked.
    pending = _launch(op, template, work / op / "trial-0", home)
    try:
        for trial in range(trials):
            current = pending
            during = _kill(current, seconds, rng)
            if trial + 1 < trials:
                pending = _launch(op, template, work / op / f"trial-{(trial + 1) % 2}", home)
            findings = verify(op, current.folder, current.log, expected)
            failed = _ended_badly(current)
            if failed:
                findings.other.append(failed)
            tally.add(trial, during, findings)
            _progress(report, op, tally)
    finally:
        if pending.proc.poll() is None:  # a run that stopped half-way
            pending.proc.kill()
            pending.proc.communicate()
    return tally


# -- the merge: pack_merge_crash's trials, with the leftover check --------------------------
def _merge_findings(trial: pack_merge_crash.Trial, files: frozenset[str]) -> Findings:
    findings = Findings(other=list(trial.again), state=trial.verdict.state)
    for failure in trial.verdict.failures:
        if failure.startswith(_DAMAGE):
            findings.integrity.append(failure)
        elif failure.startswith("office is neither"):
            findings.lost.append(failure)
        else:
            findings.other.append(failure)
    if trial.phase in ("applied", "closed") and trial.verdict.state == "before":
        findings.lost.append("the merge was applied (committed), but the office is as before")
    date_back(trial.office.parent, files)
    refused = _reopen(trial.office)  # the checks' read-only connections made -wal/-shm
    if refused:
        findings.integrity.append(refused)
    else:
        findings.leftovers.extend(leftovers(trial.office, files))
        findings.integrity.extend(backup_problems(trial.office))
    return findings


def _merge_trials(trials: int, rng: random.Random, runs: int,
                  report: Callable[[str], None]) -> Tally:
    with pack_merge_crash.reference(lambda line: report(f"    merge: {line}"),
                                    runs=runs) as ref:
        tally = Tally(seconds=ref.duration)
        files = frozenset({ref.template.office.name, ref.template.pack.name})
        for trial in pack_merge_crash.kill_trials(ref, trials, rng):
            tally.add(trial.number, trial.killed_during, _merge_findings(trial, files))
            _progress(report, "merge", tally)
    return tally


# -- the whole run --------------------------------------------------------------------------
COLUMNS = ("op", "trials", "kills before end", "integrity failures", "lost/partial",
           "leftover files", "other", "op time")


def _row(op: str, tally: Tally) -> tuple[str, ...]:
    return (op, str(tally.trials), str(tally.killed_during), str(tally.integrity),
            str(tally.lost), str(tally.leftover_files), str(tally.other),
            f"{tally.seconds:.2f} s")


def table(results: dict[str, Tally]) -> list[str]:
    rows = [COLUMNS, *(_row(op, tally) for op, tally in results.items())]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    return [lines[0], "-" * len(lines[0]), *lines[1:]]


def _details(op: str, tally: Tally) -> Iterator[str]:
    if tally.states:
        yield (f"    {op}: found as before {tally.states['before']}, as after "
               f"{tally.states['after']}")
    for pattern, count in tally.leftovers.most_common():
        yield f"    {op}: {count} x leftover {pattern}"
    shown = [f for f in tally.failures if ": leftovers: " not in f]
    for failure in shown[:5]:
        yield f"    {op}: {failure}"
    if len(shown) > 5:
        yield f"    {op}: ... and {len(shown) - 5} more"


def run(trials: int, ops: tuple[str, ...] = OPERATIONS, seed: int = 1,
        report: Callable[[str], None] = print, calibration_runs: int = 3
        ) -> dict[str, Tally]:
    """Prepare, then per operation: time it, then ``trials`` kills, each checked."""
    rng = random.Random(seed)
    results: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory(prefix="crash-safety-") as tmp:
        work = Path(tmp)
        home = work / "home"
        make_home(home)
        with isolated(home):
            templates = prepare(work, ops)
            for op in ops:
                started = time.perf_counter()
                if op == "merge":
                    tally = _merge_trials(trials, rng, calibration_runs, report)
                else:
                    tally = _child_trials(op, templates[op], work, home, trials, rng,
                                          calibration_runs, report)
                results[op] = tally
                report(f"{op}: {tally.trials} trials in {time.perf_counter() - started:.0f} s"
                       f", {len(tally.failures)} findings")
                for line in _details(op, tally):
                    report(line)
    return results


def exit_code(results: dict[str, Tally]) -> int:
    return 1 if any(t.failed for t in results.values()) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200, help="kills per operation")
    parser.add_argument("--ops", default=",".join(OPERATIONS),
                        help=f"comma-separated, of: {', '.join(OPERATIONS)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("OP", "FOLDER", "LOG"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], Path(args.child[1]), Path(args.child[2]))
    if sys.platform == "win32":
        print("needs SIGKILL (Linux or macOS)", file=sys.stderr)
        return 2
    ops = tuple(o.strip() for o in args.ops.split(",") if o.strip())
    unknown = set(ops) - set(OPERATIONS)
    if unknown:
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    print(f"crash safety: {args.trials} SIGKILLs per operation, seed {args.seed}", flush=True)
    started = time.perf_counter()
    results = run(args.trials, ops, args.seed, report=lambda line: print(line, flush=True))
    print()
    for line in table(results):
        print(line)
    total = sum(t.trials for t in results.values())
    print(f"total: {total} trials, operations: {', '.join(ops)} "
          f"({time.perf_counter() - started:.0f} s)")
    return exit_code(results)


if __name__ == "__main__":
    sys.exit(main())
